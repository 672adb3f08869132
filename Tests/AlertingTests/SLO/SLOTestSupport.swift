import Foundation
import SeededRandom
import TSDB

/// A store in a fresh temp directory, removed when released (shared by the SLO and Recording tests).
final class SLOTestStore {
    let path: String
    let store: Store

    init(_ name: String = #function, configure: (inout StoreOptions) -> Void = { _ in }) throws {
        let clean = name.filter { $0.isLetter || $0.isNumber }
        path = NSTemporaryDirectory() + "slo-test-\(clean)-\(UInt32.random(in: 0...UInt32.max))"
        var options = StoreOptions()
        options.fsync = .never
        configure(&options)
        store = try Store(directory: path, options: options)
    }

    deinit {
        try? store.close()
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Appends (labels, timestamp, value) triples in one batch; every sample must be accepted.
    func append(_ samples: [(Labels, Int64, Double)]) throws {
        var batch = WriteBatch(capacity: samples.count)
        for (l, t, v) in samples { batch.append(l, t, v) }
        let result = try store.append(batch)
        guard result.rejectedCount == 0 else { throw SLOTestFailure("rejected: \(result.rejected)") }
    }
}

struct SLOTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// SplitMix64, seeded (the shared test generator).
typealias SLOTestRNG = SeededRandom

/// An hour-aligned "now" for the tests: 2023-11-14 22:00 UTC.
let sloTestNow: Int64 = 1_700_000_000_000 / 3_600_000 * 3_600_000

/// |a - b| <= tolerance * max(1, |b|).
func sloClose(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    guard let a else { return false }
    return (a - b).magnitude <= tolerance * Swift.max(1, b.magnitude)
}
