import Foundation
import Query
import TSDB
import Testing

@testable import QueryHTTP

/// Issue 11, items 3 and 6 (and issue 10's `timeout`): every query has a deadline, sample and
/// series caps and can be cancelled; queries run on bounded workers. Answers carry
/// Prometheus' error types and statuses.
@Suite struct QueryLimitsTests {
    static func api(_ store: HTTPTestStore, _ configure: (inout QueryLimits) -> Void = { _ in }) -> PromAPI {
        var api = PromAPI(store: store.store)
        configure(&api.limits)
        return api
    }

    static func params(_ pairs: [String: String]) -> FormParameters {
        FormParameters(
            encoded: Array(
                pairs.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(
                    separator: "&"
                ).utf8))
    }

    static func errorType(_ r: APIResponse) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any])?["errorType"] as? String
    }

    @Test func anExpiredDeadlineIsATimeout() throws {
        let store = try HTTPTestStore()
        let budget = QueryBudget(timeoutMs: 0)
        usleep(2000)
        let r = Self.api(store).query(
            Self.params(["query": "sum(rate(http_requests_total[5m]))", "time": HTTPTestStore.seconds(39)]), budget: budget)
        #expect(r.status == 503)
        #expect(Self.errorType(r) == "timeout")
        #expect(r.body.contains("query timed out in expression evaluation"))
    }

    @Test func tooManySamplesIsAnExecutionError() throws {
        let store = try HTTPTestStore()
        let api = Self.api(store) { $0.maxSamples = 20 }
        let r = api.queryRange(
            Self.params(["query": "cpu_usage", "start": HTTPTestStore.seconds(0), "end": HTTPTestStore.seconds(39), "step": "15s"]))
        #expect(r.status == 422)
        #expect(Self.errorType(r) == "execution")
        #expect(r.body.contains("too many samples"))
        // The same query within the cap answers.
        let ok = Self.api(store).queryRange(
            Self.params(["query": "cpu_usage", "start": HTTPTestStore.seconds(0), "end": HTTPTestStore.seconds(39), "step": "15s"]))
        #expect(ok.status == 200)
    }

    @Test func tooManySeriesIsAnExecutionError() throws {
        let store = try HTTPTestStore()
        let r = Self.api(store) { $0.maxSeries = 1 }.query(
            Self.params(["query": "http_requests_total", "time": HTTPTestStore.seconds(39)]))
        #expect(r.status == 422)
        #expect(r.body.contains("more than 1 series"))
    }

    @Test func aCancelledQueryStops() throws {
        let store = try HTTPTestStore()
        let budget = QueryLimits().budget()
        budget.cancel()
        let r = Self.api(store).query(Self.params(["query": "up", "time": HTTPTestStore.seconds(39)]), budget: budget)
        #expect(r.status == 499)
        #expect(Self.errorType(r) == "canceled")
    }

    /// Grafana sends `timeout=2m` with every query_range; a shorter one wins over the server's.
    @Test func theTimeoutParameter() throws {
        let store = try HTTPTestStore()
        let api = Self.api(store) { $0.timeoutMs = 60_000 }
        let base = [
            "query": "sum(rate(http_requests_total[1m]))", "start": HTTPTestStore.seconds(4), "end": HTTPTestStore.seconds(39),
            "step": "15s",
        ]
        var grafana = base
        grafana["timeout"] = "2m"
        #expect(api.queryRange(Self.params(grafana)).status == 200)
        var bad = base
        bad["timeout"] = "soon"
        let r = api.queryRange(Self.params(bad))
        #expect(r.status == 400 && r.body.contains("invalid parameter \\\"timeout\\\""))
        guard case .success(let b) = api.budget(Self.params(["timeout": "5s"])), let deadline = b.deadline else {
            Issue.record("no budget")
            return
        }
        let left = Double(deadline &- QueryBudget.now()) / 1e9
        #expect(left > 4 && left <= 5)
        guard case .success(let capped) = api.budget(Self.params(["timeout": "1h"])), let d2 = capped.deadline else { return }
        #expect(Double(d2 &- QueryBudget.now()) / 1e9 <= 60)
    }

    @Test func limitsParseFromTheirSettings() throws {
        let l = try QueryLimits(timeout: "30s", maxSamples: "1000", maxConcurrency: "2")
        #expect(l.timeoutMs == 30_000 && l.maxSamples == 1000 && l.maxConcurrency == 2)
        #expect(QueryLimits().timeoutMs == 120_000 && QueryLimits().maxSamples == 50_000_000)
        #expect(throws: QueryLimitsError.self) { try QueryLimits(timeout: "0s", maxSamples: nil, maxConcurrency: nil) }
        #expect(throws: QueryLimitsError.self) { try QueryLimits(timeout: nil, maxSamples: "-1", maxConcurrency: nil) }
        #expect(throws: QueryLimitsError.self) { try QueryLimits(timeout: nil, maxSamples: nil, maxConcurrency: "0") }
    }

    /// One thread, one queued: a third concurrent query is refused at once, the others finish.
    @Test func workersBoundConcurrencyAndQueue() async throws {
        let workers = QueryWorkers(threads: 1, maxQueued: 1)
        let gate = Condition()
        nonisolated(unsafe) var open = false
        let started = Condition()
        nonisolated(unsafe) var running = 0
        @Sendable func blocker() -> Int {
            started.withLock { running += 1 }
            gate.withLock { while !open { gate.wait(untilMs: Int64(monotonicSeconds() * 1000) + 50) } }
            return 1
        }
        async let first = workers.run(blocker)
        while started.withLock({ running }) == 0 { try await Task.sleep(nanoseconds: 1_000_000) }
        async let second = workers.run(blocker)
        while workers.queued == 0 { try await Task.sleep(nanoseconds: 1_000_000) }
        await #expect(throws: QueryWorkersBusy.self) { try await workers.run { 3 } }
        gate.withLock { open = true }
        let results = try await [first, second]
        #expect(results == [1, 1])
    }
}
