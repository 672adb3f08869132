import Foundation
import Testing

@testable import Query
@testable import TSDB

/// Range functions cover [t - range, t) by default and Prometheus' (t - range, t] with
/// `prometheusWindows`; they differ exactly for samples on the window edges.
@Suite struct WindowConventionTests {
    @Test func edgesDifferOnlyByConvention() throws {
        let dir = NSTemporaryDirectory() + "promql-window-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try Store(directory: dir)
        var batch = WriteBatch()
        let l = Labels(type: "queue_depth", service: "s")
        for (t, v) in [(0, 1.0), (60_000, 2.0), (90_000, 5.0), (120_000, 3.0)] as [(Int64, Double)] { batch.append(l, t, v) }
        _ = try store.append(batch)
        let ours = PromQLEngine(store: store)
        let prometheus = PromQLEngine(store: store, options: QueryOptions(prometheusWindows: true))
        func value(_ engine: PromQLEngine, _ q: String) throws -> Double? {
            guard case .vector(let v) = try engine.instant(q, at: 120_000).0 else { return nil }
            return v.first?.v
        }
        #expect(try value(ours, "max_over_time(queue_depth[1m])") == 5)  // [60 s, 120 s): 2, 5
        #expect(try value(prometheus, "max_over_time(queue_depth[1m])") == 5)  // (60 s, 120 s]: 5, 3
        #expect(try value(ours, "count_over_time(queue_depth[1m])") == 2)
        #expect(try value(ours, "min_over_time(queue_depth[1m])") == 2)
        #expect(try value(prometheus, "min_over_time(queue_depth[1m])") == 3)
        #expect(try value(ours, "min_over_time(queue_depth[1m] offset 1m)") == 1)
    }
}
