import Foundation

@testable import TSDB

/// A small store in a temporary directory plus the raw samples written to it (the reference).
final class QueryTestStore {
    let directory: String
    let store: Store
    var written: [SeriesRef: [Sample]] = [:]

    /// Opens an empty store with 1 h blocks; `retentionRaw` 0 keeps raw forever, rollups kept forever.
    init(retentionRaw: Int64 = 0) throws {
        directory = NSTemporaryDirectory() + "qcore-\(UUID().uuidString)"
        var o = StoreOptions()
        o.blockDuration = StoreOptions.hour
        o.retentionRaw = retentionRaw
        o.rollupRetention = [:]
        o.fsync = .never
        o.outOfOrderWindow = 0
        store = try Store(directory: directory, options: o)
    }

    deinit {
        try? store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Appends samples (sorted by timestamp) of one series and remembers them.
    @discardableResult
    func write(_ labels: Labels, _ samples: [Sample]) throws -> SeriesRef {
        var batch = WriteBatch()
        for s in samples { batch.append(labels, s.timestamp, s.value) }
        let result = try store.append(batch)
        precondition(result.rejectedCount == 0, "test samples rejected: \(result.rejected)")
        let ref = try store.seriesRef(for: labels)
        written[ref, default: []] += samples
        return ref
    }

    /// Cuts the head into blocks and compacts (builds rollups, applies raw retention).
    func compact() throws {
        try store.flush()
        _ = try store.compact()
    }
}

/// Random series shapes for the tests.
enum QueryTestData {
    /// Timestamps from `start` over `span` ms, gaps uniform in 0...2*meanGap; a share
    /// `duplicates` of them repeats the previous timestamp.
    static func timestamps(_ rng: inout QueryCoreRNG, start: Int64, span: Int64, meanGap: Int64, duplicates: Double = 0) -> [Int64] {
        var out: [Int64] = []
        var t = start
        while t < start + span {
            out.append(t)
            if rng.unit() >= duplicates { t += Int64(rng.next() % UInt64(2 * meanGap + 1)) }
        }
        return out
    }

    /// A gauge with negative values, zeros and the occasional NaN.
    static func gauge(_ rng: inout QueryCoreRNG, _ ts: [Int64], nanRate: Double = 0.01) -> [Sample] {
        ts.map { t in
            let u = rng.unit()
            if u < nanRate { return Sample(t, .nan) }
            if u < nanRate + 0.02 { return Sample(t, 0) }
            return Sample(t, (rng.unit() - 0.3) * 1000)
        }
    }

    /// Heavy-tailed positive latencies (Pareto tail over a log-normal-ish body).
    static func latency(_ rng: inout QueryCoreRNG, _ ts: [Int64]) -> [Sample] {
        ts.map { t in
            let body = exp(2 + rng.unit() * 2)
            let tail = rng.unit() < 0.05 ? pow(1 - rng.unit(), -1 / 1.5) * 50 : 0
            return Sample(t, (body + tail).rounded() + 0.5)
        }
    }

    /// An integer counter with regular growth and rare resets to 0 (at least 2 h apart), so
    /// every 1 h bucket holds at most one reset and its pre-reset peak is the bucket max.
    static func counter(_ rng: inout QueryCoreRNG, _ ts: [Int64]) -> [Sample] {
        var v = 1_000_000.0
        var lastReset = ts.first ?? 0
        return ts.map { t in
            if t - lastReset > 2 * 3_600_000 && rng.unit() < 0.002 {
                v = 0
                lastReset = t
            } else {
                v += Double(4 + rng.next() % 3)
            }
            return Sample(t, v)
        }
    }
}
