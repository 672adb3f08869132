import Foundation
import Testing

@testable import QueryHTTP

/// `promtool` (Debian package `prometheus`) on PATH, or nil.
let promtoolPath: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    let dirs: [String] = path.split(separator: ":").map(String.init) + ["/usr/bin"]
    return dirs.map { $0 + "/promtool" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

/// Prometheus's own client against our server: `promtool query instant|range|labels|series`.
/// `make test` installs promtool, so a missing one is a failure, never a silent skip.
@Suite(.serialized)
struct PromtoolTests {
    @Test func promtoolIsInstalled() {
        #expect(promtoolPath != nil, "promtool not found on PATH: install Debian package 'prometheus' (make deps)")
    }

    /// Runs promtool with a 20 s bound; returns exit status, standard output and error. Output goes
    /// to temp files: nothing blocks a cooperative thread, which the in-process server needs.
    func promtool(_ args: [String]) async throws -> (status: Int32, out: String, err: String) {
        let base = NSTemporaryDirectory() + "promtool-\(UInt32.random(in: 0...UInt32.max))"
        _ = FileManager.default.createFile(atPath: base + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: base + ".err", contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: base + ".out")
            try? FileManager.default.removeItem(atPath: base + ".err")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtoolPath ?? "/usr/bin/promtool")
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        for k in ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"] { env[k] = nil }
        process.environment = env
        process.standardOutput = FileHandle(forWritingAtPath: base + ".out")
        process.standardError = FileHandle(forWritingAtPath: base + ".err")
        try process.run()
        var waited = 0
        while process.isRunning && waited < 400 {
            try await Task.sleep(nanoseconds: 50_000_000)
            waited += 1
        }
        if process.isRunning {
            process.terminate()
            Issue.record("promtool \(args) did not finish within 20 s")
        }
        while process.isRunning && waited < 500 {
            try await Task.sleep(nanoseconds: 50_000_000)
            waited += 1
        }
        let out = FileManager.default.contents(atPath: base + ".out") ?? Data()
        let err = FileManager.default.contents(atPath: base + ".err") ?? Data()
        return (
            process.isRunning ? -1 : process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self)
        )
    }

    @Test func instantQuery() async throws {
        try await withTestServer { _, server in
            let r = try await promtool([
                "query", "instant", "--time=" + HTTPTestStore.seconds(20), "http://127.0.0.1:\(server.port)", "cpu_usage",
            ])
            #expect(r.status == 0, "\(r.err)")
            #expect(r.out.contains("cpu_usage{service=\"db\"} => 20 @[1700000300]"), "\(r.out)")
        }
    }

    @Test func instantQueryJSON() async throws {
        try await withTestServer { _, server in
            let r = try await promtool(
                ["query", "instant", "-o", "json", "--time=2023-11-14T22:18:20Z", "http://127.0.0.1:\(server.port)", "http_requests_total"])
            #expect(r.status == 0, "\(r.err)")
            #expect(r.out.contains("\"status\":\"503\""), "\(r.out)")
            #expect(r.out.contains("[1700000300,\"600\"]"), "\(r.out)")
        }
    }

    @Test func rangeQuery() async throws {
        try await withTestServer { _, server in
            let r = try await promtool([
                "query", "range", "--start=" + HTTPTestStore.seconds(4), "--end=" + HTTPTestStore.seconds(12), "--step=30s",
                "http://127.0.0.1:\(server.port)", "cpu_usage",
            ])
            #expect(r.status == 0, "\(r.err)")
            for i in stride(from: 4, through: 12, by: 2) {
                #expect(r.out.contains("\(i) @[\(HTTPTestStore.seconds(i))]"), "\(r.out)")
            }
        }
    }

    @Test func badQueryFails() async throws {
        try await withTestServer { _, server in
            let r = try await promtool(["query", "instant", "http://127.0.0.1:\(server.port)", "cpu_usage{"])
            #expect(r.status != 0)
            #expect(r.err.contains("bad_data"), "\(r.err)")
        }
    }

    @Test func labelsAndSeries() async throws {
        try await withTestServer { _, server in
            let labels = try await promtool(["query", "labels", "http://127.0.0.1:\(server.port)", "service"])
            #expect(labels.status == 0, "\(labels.err)")
            #expect(labels.out.split(separator: "\n") == ["api", "db"])
            // promtool's default range is about a year around now: name one that holds the data.
            let series = try await promtool([
                "query", "series", "--match=cpu_usage", "--start=" + HTTPTestStore.seconds(0), "--end=" + HTTPTestStore.seconds(39),
                "http://127.0.0.1:\(server.port)",
            ])
            #expect(series.status == 0, "\(series.err)")
            #expect(series.out.contains("cpu_usage"), "\(series.out)")
        }
    }
}
