import Foundation
import Query
import TSDB
import Testing

@testable import QueryHTTP

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A small store in a temp dir: 10 minutes from `t0` at 15 s spacing of
/// - `http_requests_total{service="api",status="200"|"503"}`: counters rising 30 and 3 per step,
/// - `cpu_usage{service="db"}`: gauge, value = step index,
/// - `api_latency_ms{service="api",endpoint="/x"}`: events, value = 10 + step index % 7.
final class HTTPTestStore {
    static let t0: Int64 = 1_700_000_000_000
    static let step: Int64 = 15_000
    static let steps = 40
    static func latency(_ i: Int) -> Double { Double(10 + i % 7) }

    let path: String
    let store: Store

    init(_ name: String = #function) throws {
        let clean = name.filter { $0.isLetter || $0.isNumber }
        path = NSTemporaryDirectory() + "tsdb-http-\(clean)-\(UInt32.random(in: 0...UInt32.max))"
        var options = StoreOptions()
        options.retentionRaw = 0
        options.fsync = .never
        store = try Store(directory: path, options: options)
        var batch = WriteBatch()
        for i in 0..<HTTPTestStore.steps {
            let t = HTTPTestStore.t0 + Int64(i) * HTTPTestStore.step
            batch.append(Labels(type: "http_requests_total", service: "api", tags: ["status": "200"]), t, Double(30 * i))
            batch.append(Labels(type: "http_requests_total", service: "api", tags: ["status": "503"]), t, Double(3 * i))
            batch.append(Labels(type: "cpu_usage", service: "db"), t, Double(i))
            batch.append(Labels(type: "api_latency_ms", service: "api", tags: ["endpoint": "/x"]), t, HTTPTestStore.latency(i))
        }
        let result = try store.append(batch)
        #expect(result.accepted == batch.count)
        try store.flush()
    }

    deinit {
        try? store.close()
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Epoch seconds of step `i`, as the API takes it.
    static func seconds(_ i: Int) -> String { PromFormat.timestamp(t0 + Int64(i) * step) }
}

/// A decoded answer: status code and JSON object.
struct HTTPAnswer {
    var status: Int
    var json: [String: Any]
    var text: String

    var data: [String: Any] { json["data"] as? [String: Any] ?? [:] }
    var result: [[String: Any]] { data["result"] as? [[String: Any]] ?? [] }
}

/// Real HTTP over loopback with URLSession: no proxy, no cache, 10 s timeout.
struct HTTPTestClient {
    let base: String
    let session: URLSession

    init(port: Int) {
        base = "http://127.0.0.1:\(port)"
        let config = URLSessionConfiguration.ephemeral
        config.connectionProxyDictionary = [:]
        config.timeoutIntervalForRequest = 10
        session = URLSession(configuration: config)
    }

    func get(_ path: String, _ params: [(String, String)] = []) async throws -> HTTPAnswer {
        let query = params.isEmpty ? "" : "?" + HTTPTestClient.encode(params)
        guard let url = URL(string: base + path + query) else { throw URLError(.badURL) }
        return try await send(URLRequest(url: url))
    }

    func post(_ path: String, _ params: [(String, String)]) async throws -> HTTPAnswer {
        guard let url = URL(string: base + path) else { throw URLError(.badURL) }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(HTTPTestClient.encode(params).utf8)
        return try await send(request)
    }

    private func send(_ request: URLRequest) async throws -> HTTPAnswer {
        var request = request
        request.timeoutInterval = 10
        let (data, response) = try await session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? -1
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return HTTPAnswer(status: status, json: json, text: String(decoding: data, as: UTF8.self))
    }

    /// Form encoding: everything but unreserved characters percent-escaped.
    static func encode(_ params: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return params.map { k, v in
            (k.addingPercentEncoding(withAllowedCharacters: allowed) ?? k) + "="
                + (v.addingPercentEncoding(withAllowedCharacters: allowed) ?? v)
        }.joined(separator: "&")
    }
}

/// Starts a server on a free loopback port over a fresh test store, runs `body`, shuts down.
func withTestServer(_ name: String = #function, _ body: (HTTPTestClient, RunningQueryServer) async throws -> Void) async throws {
    let fixture = try HTTPTestStore(name)
    let server = try await QueryServer(store: fixture.store, port: 0).start()
    do {
        try await body(HTTPTestClient(port: server.port), server)
    } catch {
        await server.shutdown()
        throw error
    }
    await server.shutdown()
}
