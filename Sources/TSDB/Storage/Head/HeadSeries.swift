/// The in-memory samples of one series since the last cut, in arrival order.
final class HeadSeries {
    var timestamps: [Int64] = []
    var values: [Double] = []
    /// False once an out-of-order sample arrived; readers and cuts sort (stably) first.
    var isSorted = true

    var count: Int { timestamps.count }

    @inline(__always) func append(_ t: Int64, _ v: Double) {
        if let last = timestamps.last, t < last { isSorted = false }
        timestamps.append(t)
        values.append(v)
    }

    /// Samples sorted by timestamp; equal timestamps keep their arrival order.
    func sortedColumns() -> (timestamps: [Int64], values: [Double]) {
        if isSorted { return (timestamps, values) }
        let order = timestamps.indices.sorted { a, b in
            timestamps[a] < timestamps[b] || (timestamps[a] == timestamps[b] && a < b)
        }
        return (order.map { timestamps[$0] }, order.map { values[$0] })
    }
}

/// Recent samples of every series, rebuilt from the WAL on open, cut into a block when it
/// covers a whole block range or outgrows its memory bound.
final class Head {
    private(set) var series: [UInt32: HeadSeries] = [:]
    private(set) var sampleCount = 0
    private(set) var minT = Int64.max
    private(set) var maxT = Int64.min
    /// The highest WAL record seq whose samples are in this head (or in blocks).
    var lastAppliedSeq: UInt64 = 0
    /// Source positions durable through `lastAppliedSeq`, recorded when the head is frozen.
    var positionsAtFreeze: [String: Int64] = [:]
    /// The lowest record seq applied since the last cut (0 when empty).
    private(set) var firstAppliedSeq: UInt64 = 0

    var isEmpty: Bool { sampleCount == 0 }

    /// Memory the samples take: 16 bytes each plus per-series overhead.
    var approximateBytes: Int { sampleCount * 16 + series.count * 128 }

    func apply(_ refs: [UInt32], _ timestamps: [Int64], _ values: [Double], seq: UInt64) {
        if firstAppliedSeq == 0 { firstAppliedSeq = seq }
        lastAppliedSeq = seq
        var current: HeadSeries?
        var currentRef = UInt32.max
        for i in refs.indices {
            let ref = refs[i]
            if ref != currentRef {
                currentRef = ref
                if let s = series[ref] {
                    current = s
                } else {
                    let s = HeadSeries()
                    series[ref] = s
                    current = s
                }
            }
            let t = timestamps[i]
            current?.append(t, values[i])
            if t < minT { minT = t }
            if t > maxT { maxT = t }
        }
        sampleCount += refs.count
    }

    /// Samples of one series within `[from, to)`, sorted.
    func samples(of id: UInt32, from: Int64, to: Int64) -> (timestamps: [Int64], values: [Double]) {
        guard let s = series[id] else { return ([], []) }
        let (ts, vs) = s.sortedColumns()
        let lo = ts.partitioningIndex { $0 >= from }
        let hi = ts.partitioningIndex { $0 >= to }
        return (Array(ts[lo..<hi]), Array(vs[lo..<hi]))
    }

    func reset() {
        series.removeAll(keepingCapacity: true)
        sampleCount = 0
        minT = .max
        maxT = .min
        firstAppliedSeq = 0
    }
}
