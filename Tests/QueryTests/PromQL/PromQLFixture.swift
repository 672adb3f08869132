import Foundation
import TSDB

@testable import Query

/// A small hand-built store with known samples, one per minute for minutes 0...20:
/// - `http_requests_total` counters: api/200 = 10m, resetting at minute 11 to 5 + 10(m-11);
///   api/503 = m; web/200 = 2m.
/// - `api_latency_ms{service="api", endpoint="/a"}` events cycling 10, 20, 30, 40, 100.
/// - `cpu_usage` gauges: h1 (api) = 0.25 * (m % 4), h2 (api) = 1, h3 (web) = 2;
///   `cpu_limit{host="h1", service="api"}` = 2.
enum PromQLFixture {
    static func minute(_ m: Int64) -> Int64 { m * 60_000 }

    static let store: Store = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promql-fixture-\(UUID().uuidString)").path
        var options = StoreOptions()
        options.retentionRaw = 0
        options.fsync = .never
        // Build the store once per test process; a failure here is a broken test environment.
        guard let store = try? Store(directory: dir, options: options) else { fatalError("cannot create fixture store in \(dir)") }
        var batch = WriteBatch()
        let latencies: [Double] = [10, 20, 30, 40, 100]
        for m in Int64(0)...20 {
            let t = minute(m)
            batch.append(
                Labels(type: "http_requests_total", service: "api", tags: ["status": "200"]), t,
                m <= 10 ? Double(10 * m) : Double(5 + 10 * (m - 11)))
            batch.append(Labels(type: "http_requests_total", service: "api", tags: ["status": "503"]), t, Double(m))
            batch.append(Labels(type: "http_requests_total", service: "web", tags: ["status": "200"]), t, Double(2 * m))
            batch.append(Labels(type: "api_latency_ms", service: "api", tags: ["endpoint": "/a"]), t, latencies[Int(m % 5)])
            batch.append(Labels(type: "cpu_usage", service: "api", tags: ["host": "h1"]), t, 0.25 * Double(m % 4))
            batch.append(Labels(type: "cpu_usage", service: "api", tags: ["host": "h2"]), t, 1)
            batch.append(Labels(type: "cpu_usage", service: "web", tags: ["host": "h3"]), t, 2)
            batch.append(Labels(type: "cpu_limit", service: "api", tags: ["host": "h1"]), t, 2)
        }
        guard (try? store.append(batch)) != nil, (try? store.flush()) != nil else { fatalError("cannot fill fixture store") }
        return store
    }()

    /// Raw data only, so every answer in the tables is exact.
    static let engine = PromQLEngine(store: store, options: QueryOptions(rawOnly: true, prometheusWindows: true))
    /// Whatever mix of raw data and rollups the window planner picks.
    static let plannedEngine = PromQLEngine(store: store, options: QueryOptions(prometheusWindows: true))

    /// A value with 12 significant digits, so tables stay readable and exact enough.
    static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Inf" : "+Inf" }
        return String(format: "%.12g", v)
    }

    /// A result as one line per element, "labels value", joined by "; ".
    static func render(_ value: QueryValue) -> String {
        switch value {
        case .scalar(_, let v): return "scalar \(format(v))"
        case .string(_, let s): return "string \(s)"
        case .vector(let samples): return samples.map { "\($0.labels) \(format($0.v))" }.joined(separator: "; ")
        case .matrix(let series):
            return series.map { s in "\(s.labels) [" + s.points.map { "\($0.t / 60_000)m:\(format($0.v))" }.joined(separator: " ") + "]" }
                .joined(separator: "; ")
        }
    }
}
