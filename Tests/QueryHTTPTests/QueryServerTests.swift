import Foundation
import TSDB
import Testing

@testable import QueryHTTP

/// The Prometheus API over real HTTP on loopback, GET and POST.
@Suite(.serialized) struct QueryServerTests {
    static let methods = ["GET", "POST"]

    func call(_ client: HTTPTestClient, _ method: String, _ path: String, _ params: [(String, String)]) async throws -> HTTPAnswer {
        method == "GET" ? try await client.get(path, params) : try await client.post(path, params)
    }

    @Test(arguments: methods) func instantVector(method: String) async throws {
        try await withTestServer { client, _ in
            let a = try await call(client, method, "/api/v1/query", [("query", "cpu_usage"), ("time", HTTPTestStore.seconds(20))])
            #expect(a.status == 200)
            #expect(a.json["status"] as? String == "success")
            #expect(a.data["resultType"] as? String == "vector")
            #expect(a.result.count == 1)
            let metric = a.result.first?["metric"] as? [String: String]
            #expect(metric == ["__name__": "cpu_usage", "service": "db"])
            let value = a.result.first?["value"] as? [Any]
            #expect((value?.first as? NSNumber)?.doubleValue == Double(HTTPTestStore.t0 + 20 * HTTPTestStore.step) / 1000)
            #expect(value?.last as? String == "20")
            // The exact text clients see: seconds without a fraction, value as a string.
            #expect(a.text.contains("\"value\":[1700000300,\"20\"]"))
        }
    }

    @Test func instantRFC3339AndRate() async throws {
        try await withTestServer { client, _ in
            let a = try await client.post(
                "/api/v1/query", [("query", "rate(http_requests_total[5m])"), ("time", "2023-11-14T22:23:20Z")])
            #expect(a.status == 200)
            #expect(a.result.count == 2)
            for r in a.result {
                let metric = r["metric"] as? [String: String] ?? [:]
                #expect(metric["__name__"] == nil, "functions drop the metric name")
                let v = Double((r["value"] as? [Any])?.last as? String ?? "") ?? .nan
                let expected = metric["status"] == "200" ? 2.0 : 0.2
                #expect(abs(v - expected) <= expected * 0.1, "rate \(v) for \(metric)")
            }
        }
    }

    @Test(arguments: methods) func rangeMatrix(method: String) async throws {
        try await withTestServer { client, _ in
            let a = try await call(
                client, method, "/api/v1/query_range",
                [("query", "cpu_usage"), ("start", HTTPTestStore.seconds(4)), ("end", HTTPTestStore.seconds(36)), ("step", "1m")])
            #expect(a.status == 200)
            #expect(a.data["resultType"] as? String == "matrix")
            let values = a.result.first?["values"] as? [[Any]] ?? []
            #expect(values.count == 9)
            let texts: [String] = values.map { $0.last as? String ?? "" }
            let expected: [String] = (0..<9).map { (i: Int) -> String in String(4 + 4 * i) }
            #expect(texts == expected)
            #expect(a.data["resolutions"] != nil)
            // Float seconds for step, equivalent to 1m.
            let b = try await call(
                client, method, "/api/v1/query_range",
                [("query", "cpu_usage"), ("start", HTTPTestStore.seconds(4)), ("end", HTTPTestStore.seconds(36)), ("step", "60")])
            #expect(b.text == a.text)
        }
    }

    @Test func scalarAndString() async throws {
        try await withTestServer { client, _ in
            let a = try await client.get("/api/v1/query", [("query", "42"), ("time", "1700000000.5")])
            #expect(a.status == 200)
            #expect(a.data["resultType"] as? String == "scalar")
            #expect(a.text.contains("\"result\":[1700000000.500,\"42\"]"))
        }
    }

    @Test(arguments: methods) func parseErrorIsBadData(method: String) async throws {
        try await withTestServer { client, _ in
            let a = try await call(client, method, "/api/v1/query", [("query", "cpu_usage{"), ("time", HTTPTestStore.seconds(1))])
            #expect(a.status == 400)
            #expect(a.json["status"] as? String == "error")
            #expect(a.json["errorType"] as? String == "bad_data")
            let message = a.json["error"] as? String ?? ""
            #expect(message.range(of: #"^\d+:\d+:"#, options: .regularExpression) != nil, "names the position: \(message)")
        }
    }

    @Test func badParameters() async throws {
        try await withTestServer { client, _ in
            let cases: [(String, [(String, String)], String)] = [
                ("/api/v1/query", [("query", "cpu_usage"), ("time", "yesterday")], "invalid parameter \"time\""),
                ("/api/v1/query", [("time", "1")], "invalid parameter \"query\""),
                ("/api/v1/query_range", [("query", "cpu_usage"), ("start", "10"), ("end", "5"), ("step", "1")], "end timestamp"),
                ("/api/v1/query_range", [("query", "cpu_usage"), ("start", "1"), ("end", "5"), ("step", "0")], "zero or negative"),
                (
                    "/api/v1/query_range", [("query", "cpu_usage"), ("start", "1"), ("end", "5"), ("step", "5x")],
                    "invalid parameter \"step\""
                ),
                ("/api/v1/query_range", [("query", "cpu_usage"), ("start", "0"), ("end", "100000"), ("step", "1")], "11,000 points"),
                // Once crashed the process: end - start overflowed Int64.
                ("/api/v1/query_range", [("query", "1"), ("start", "-9e15"), ("end", "9e15"), ("step", "1")], "11,000 points"),
                ("/api/v1/series", [], "no match[]"),
                ("/api/v1/series", [("match[]", "cpu_usage{service=}")], "1:19"),
                ("/api/v1/series", [("match[]", "{service=~\".*\"}")], "non-empty matcher"),
            ]
            for (path, params, fragment) in cases {
                let a = try await client.get(path, params)
                #expect(a.status == 400, "\(path) \(params)")
                #expect(a.json["errorType"] as? String == "bad_data")
                #expect((a.json["error"] as? String ?? "").contains(fragment), "\(a.text)")
            }
        }
    }

    @Test(arguments: methods) func series(method: String) async throws {
        try await withTestServer { client, _ in
            let a = try await call(client, method, "/api/v1/series", [("match[]", "http_requests_total"), ("match[]", "{service=\"db\"}")])
            #expect(a.status == 200)
            let series = a.json["data"] as? [[String: String]] ?? []
            #expect(series.map { $0["__name__"] ?? "" } == ["cpu_usage", "http_requests_total", "http_requests_total"])
            #expect(series.last?["status"] == "503")
            // A range with no data finds nothing; one inside the data finds the series.
            let empty = try await call(client, method, "/api/v1/series", [("match[]", "cpu_usage"), ("start", "100"), ("end", "200")])
            #expect((empty.json["data"] as? [Any])?.count == 0)
            let inside = try await call(
                client, method, "/api/v1/series",
                [("match[]", "cpu_usage"), ("start", HTTPTestStore.seconds(3)), ("end", HTTPTestStore.seconds(5))])
            #expect((inside.json["data"] as? [Any])?.count == 1)
        }
    }

    @Test(arguments: methods) func labels(method: String) async throws {
        try await withTestServer { client, _ in
            let names = try await call(client, method, "/api/v1/labels", [])
            #expect(names.json["data"] as? [String] == ["__name__", "endpoint", "service", "status"])
            let filtered = try await call(client, method, "/api/v1/labels", [("match[]", "cpu_usage")])
            #expect(filtered.json["data"] as? [String] == ["__name__", "service"])
            let values = try await client.get("/api/v1/label/service/values")
            #expect(values.status == 200)
            #expect(values.json["data"] as? [String] == ["api", "db"])
            let metric = try await client.get("/api/v1/label/__name__/values", [("match[]", "{service=\"api\"}")])
            #expect(metric.json["data"] as? [String] == ["api_latency_ms", "http_requests_total"])
        }
    }

    @Test func buildInfoMetadataAndUnknownPath() async throws {
        try await withTestServer { client, _ in
            let info = try await client.get("/api/v1/status/buildinfo")
            #expect(info.status == 200)
            #expect(info.data["version"] as? String == PromAPI.reportedVersion)
            let meta = try await client.get("/api/v1/metadata")
            #expect(meta.status == 200)
            let missing = try await client.get("/api/v1/nope")
            #expect(missing.status == 404)
        }
    }

    @Test func health() async throws {
        try await withTestServer { client, _ in
            let a = try await client.get("/api/v1/health/api", [("time", HTTPTestStore.seconds(HTTPTestStore.steps))])
            #expect(a.status == 200)
            #expect(a.json["service"] as? String == "api")
            #expect((a.json["timestamp"] as? NSNumber)?.doubleValue == 1_700_000_600)
            let windows = a.json["windows"] as? [String: [String: Any]] ?? [:]
            #expect(Set(windows.keys) == ["1m", "5m", "1h"])
            let fields = [
                "avg_latency_ms", "p50_latency_ms", "p95_latency_ms", "p99_latency_ms", "error_rate_percent", "throughput_rps",
                "availability_percent", "count",
            ]
            for (name, w) in windows { #expect(Set(fields).isSubset(of: Set(w.keys)), "\(name): \(w.keys)") }
            // [end - 5m, end) holds steps 20..<40.
            let five = windows["5m"] ?? [:]
            #expect((five["count"] as? NSNumber)?.intValue == 20)
            let mean = (20..<40).map(HTTPTestStore.latency).reduce(0, +) / 20
            let avg = (five["avg_latency_ms"] as? NSNumber)?.doubleValue ?? .nan
            #expect(abs(avg - mean) < 1e-9 * mean)
            // Foundation's JSON reader on Linux may be off by an ulp.
            #expect(abs(((five["throughput_rps"] as? NSNumber)?.doubleValue ?? 0) - 20.0 / 300) < 1e-12)
            #expect((windows["1h"]?["count"] as? NSNumber)?.intValue == HTTPTestStore.steps)
            let unknown = try await client.get("/api/v1/health/nosuch")
            #expect(unknown.status == 404)
            #expect(unknown.json["status"] as? String == "error")
        }
    }

    @Test func concurrentRequestsAndPortReuse() async throws {
        try await withTestServer { client, server in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<16 {
                    group.addTask {
                        try await client.get("/api/v1/query", [("query", "cpu_usage"), ("time", HTTPTestStore.seconds(i))]).status
                    }
                }
                for try await status in group { #expect(status == 200) }
            }
            #expect(server.port > 0)
        }
    }

    @Test func portInUseFailsToStart() async throws {
        let fixture = try HTTPTestStore()
        let first = try await QueryServer(store: fixture.store, port: 0).start()
        await #expect(throws: (any Error).self) { _ = try await QueryServer(store: fixture.store, port: first.port).start() }
        // The first server still answers.
        let a = try await HTTPTestClient(port: first.port).get("/api/v1/status/buildinfo")
        #expect(a.status == 200)
        await first.shutdown()
    }
}
