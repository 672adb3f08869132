import Foundation

@testable import TSDB

/// A store in a temporary directory, removed on deinit, for the rule engine tests.
final class RulesTestStore {
    let directory: String
    let store: Store
    /// A round hour, so evaluation minutes line up with written minutes.
    static let t0: Int64 = 1_700_002_800_000

    init() throws {
        directory = NSTemporaryDirectory() + "rules-\(UUID().uuidString)"
        var o = StoreOptions()
        o.blockDuration = StoreOptions.hour
        o.retentionRaw = 0
        o.rollupRetention = [:]
        o.fsync = .never
        store = try Store(directory: directory, options: o)
    }

    deinit {
        try? store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Minute `m` after `t0`, in ms.
    static func minute(_ m: Int) -> Int64 { t0 + Int64(m) * 60_000 }

    /// Writes `perMinute` `api_latency_ms` events per minute for minutes `minutes`, spread evenly;
    /// the first `errors(m)` of each minute carry status 503, the rest 200; `latency(m)` is the value.
    func writeEvents(
        service: String, minutes: Range<Int>, perMinute: Int, errors: (Int) -> Int = { _ in 0 }, latency: (Int) -> Double
    ) throws {
        var ok = WriteBatch()
        var failed = WriteBatch()
        let gap = 60_000 / Int64(perMinute)
        for m in minutes {
            for j in 0..<perMinute {
                let t = Self.minute(m) + Int64(j) * gap
                let status = j < errors(m) ? "503" : "200"
                let labels = Labels(type: "api_latency_ms", service: service, tags: ["status": status])
                if status == "200" { ok.append(labels, t, latency(m)) } else { failed.append(labels, t, latency(m)) }
            }
        }
        for batch in [ok, failed] where !batch.isEmpty {
            let r = try store.append(batch)
            precondition(r.rejectedCount == 0, "test samples rejected: \(r.rejected)")
        }
    }
}
