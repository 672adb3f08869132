import Foundation
import Testing

@testable import Alerting

/// A firing critical notification of service "checkout".
func sampleNotification(key: String = #"api_latency_p99{service="checkout"}"#) -> AlertNotification {
    AlertNotification(
        rule: "api_latency_p99", key: key, labels: ["service": "checkout", "team": "payments"], service: "checkout",
        transition: AlertTransition(
            from: .firing, to: .firing, severity: .critical, previousSeverity: .warning, at: 1_700_000_000_000, value: 5_230),
        thresholds: AlertThresholds(warning: 2_000, critical: 5_000, resolve: 1_500), window: 300_000, baseline: nil,
        recent: [RecentValue(t: 1_699_999_940_000, v: 2_600), RecentValue(t: 1_700_000_000_000, v: 5_230)], health: nil,
        suggestedAction: "Check checkout's recent deploys")
}

@Suite(.serialized) struct WebhookNotifierTests {
    /// The receiver fails the first requests with 500; the notifier retries with doubling delays.
    @Test(arguments: [0, 1, 3]) func retriesUntilAccepted(failures: Int) async throws {
        let receiver = try WebhookTestReceiver(failures: failures)
        defer { receiver.stop() }
        let log = DeliveryLog(capacity: 100)
        let notifier = WebhookNotifier(
            name: "ops", url: receiver.url, timeout: 2_000, retry: RetryPolicy(attempts: 4, baseDelay: 10, maxDelay: 25),
            headers: ["Authorization": "Bearer t"], log: log)
        try await notifier.deliver(sampleNotification())

        let requests = receiver.requests
        #expect(requests.count == failures + 1)
        let records = log.records
        #expect(records.map(\.attempt) == Array(1...(failures + 1)))
        #expect(records.map(\.statusCode) == Array(repeating: 500, count: failures) + [200])
        #expect(records.map(\.success) == Array(repeating: false, count: failures) + [true])
        #expect(records.map(\.retryInMs) == Array([10, 20, 25].prefix(failures)) + [nil])
        #expect(records.allSatisfy { $0.notifier == "ops" && $0.rule == "api_latency_p99" && $0.latencyMs >= 0 })
        #expect(records.dropLast().allSatisfy { $0.error == "HTTP 500" })

        for r in requests {
            #expect(r.method == "POST" && r.path == "/hook")
            #expect(r.headers["content-type"] == "application/json" && r.headers["authorization"] == "Bearer t")
            let json = try #require(try JSONSerialization.jsonObject(with: r.body) as? [String: Any])
            #expect(json["rule"] as? String == "api_latency_p99" && json["severity"] as? String == "critical")
            #expect(json["state"] as? String == "firing" && json["value"] as? Double == 5_230)
            #expect(json["threshold"] as? Double == 5_000 && json["window_ms"] as? Int == 300_000)
            #expect((json["labels"] as? [String: String])?["team"] == "payments")
            #expect((json["recent"] as? [Any])?.count == 2 && json["suggested_action"] as? String == "Check checkout's recent deploys")
            let text = try #require(json["text"] as? String)
            #expect(text.hasPrefix("[CRITICAL] api_latency_p99 service=checkout: value 5230 > 5000 over 5m (was warning)"))
        }
    }

    @Test func givesUpAfterTheAttempts() async throws {
        let receiver = try WebhookTestReceiver(failures: 10, failStatus: 503)
        defer { receiver.stop() }
        let log = DeliveryLog()
        let notifier = WebhookNotifier(url: receiver.url, retry: RetryPolicy(attempts: 3, baseDelay: 5), log: log)
        await #expect(throws: WebhookError.exhausted(attempts: 3, last: "HTTP 503")) {
            try await notifier.deliver(sampleNotification())
        }
        #expect(receiver.requests.count == 3)
        #expect(log.records.map(\.retryInMs) == [5, 10, nil])
    }

    @Test func clientErrorsAreNotRetried() async throws {
        let receiver = try WebhookTestReceiver(failures: 10, failStatus: 400)
        defer { receiver.stop() }
        let log = DeliveryLog()
        let notifier = WebhookNotifier(url: receiver.url, retry: RetryPolicy(attempts: 3, baseDelay: 5), log: log)
        await #expect(throws: WebhookError.rejected(status: 400)) { try await notifier.deliver(sampleNotification()) }
        #expect(receiver.requests.count == 1 && log.records.count == 1 && log.records[0].retryInMs == nil)
    }

    /// Nothing listens: every attempt logs a transport error, and the JSON-lines file gets them all.
    @Test func unreachablePortIsLoggedAfterTheAttempts() async throws {
        let port = try WebhookTestReceiver.unusedPort()
        let path = NSTemporaryDirectory() + "delivery-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = DeliveryLog(capacity: 2, path: path)
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/hook"))
        let notifier = WebhookNotifier(url: url, timeout: 1_000, retry: RetryPolicy(attempts: 3, baseDelay: 1), log: log)
        do {
            try await notifier.deliver(sampleNotification())
            Issue.record("delivery to a closed port succeeded")
        } catch let WebhookError.exhausted(attempts, last) {
            #expect(attempts == 3 && !last.isEmpty)
        }
        #expect(log.total == 3 && log.records.map(\.attempt) == [2, 3])  // memory keeps the last 2
        #expect(log.records.allSatisfy { $0.statusCode == nil && $0.error != nil && !$0.success })
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3 && log.fileErrors == 0)
        let decoded = try lines.map { try JSONDecoder().decode(DeliveryRecord.self, from: Data($0.utf8)) }
        #expect(decoded.map(\.attempt) == [1, 2, 3] && decoded.map(\.retryInMs) == [1, 2, nil])
    }

    @Test(arguments: [(1, 500), (2, 1_000), (3, 2_000), (7, 30_000), (80, 30_000)] as [(Int, Int64)])
    func backoffDoubles(attempt: Int, expected: Int64) {
        #expect(RetryPolicy(attempts: 5, baseDelay: 500, maxDelay: 30_000).delay(after: attempt) == expected)
    }
}
