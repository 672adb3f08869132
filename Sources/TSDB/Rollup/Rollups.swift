/// Building and combining rollups (see `RollupBucket` for the per-field semantics).
public enum Rollups {
    /// One minute, the resolution built from raw samples.
    public static let minute: Int64 = 60_000
    /// One hour, the resolution built from 1-minute buckets.
    public static let hour: Int64 = 3_600_000

    /// Buckets of one series from raw samples sorted by timestamp (equal timestamps allowed).
    public static func build(
        timestamps: UnsafeBufferPointer<Int64>, values: UnsafeBufferPointer<Double>, resolution: Int64, withSketch: Bool
    ) -> [RollupBucket] {
        precondition(resolution > 0 && timestamps.count == values.count)
        var out: [RollupBucket] = []
        guard !timestamps.isEmpty else { return out }
        var current = RollupBucket(start: TimeGrid.floor(timestamps[0], resolution), sketch: withSketch ? QuantileSketch() : nil)
        for i in 0..<timestamps.count {
            let t = timestamps[i]
            // t >= start (sorted input), so the UInt64 difference is exact even near Int64.max.
            if UInt64(bitPattern: t &- current.start) >= UInt64(resolution) {
                out.append(current)
                current = RollupBucket(start: TimeGrid.floor(t, resolution), sketch: withSketch ? QuantileSketch() : nil)
            }
            assert(t >= current.start, "timestamps not sorted")
            current.add(timestamp: t, value: values[i])
        }
        out.append(current)
        return out
    }

    /// Coarser buckets (e.g. 1 h) from finer ones (e.g. 1 m), by merging; `buckets` sorted by
    /// start and `resolution` a multiple of their resolution (so none straddles a boundary).
    public static func downsample(_ buckets: [RollupBucket], to resolution: Int64) -> [RollupBucket] {
        precondition(resolution > 0)
        var out: [RollupBucket] = []
        for b in buckets {
            let start = TimeGrid.floor(b.start, resolution)
            if let lastStart = out.last?.start, lastStart == start {
                out[out.count - 1].merge(b)
            } else {
                assert(out.last.map { $0.start < start } ?? true, "buckets not sorted")
                var coarse = b
                coarse.start = start
                out.append(coarse)
            }
        }
        return out
    }

    /// Merges two bucket lists of one resolution, each sorted by start; buckets with equal
    /// starts merge with `b` counted as added after `a` (ties: `a` keeps first, `b` wins last).
    public static func merge(_ a: [RollupBucket], _ b: [RollupBucket]) -> [RollupBucket] {
        var out: [RollupBucket] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i].start < b[j].start) {
                out.append(a[i])
                i += 1
            } else if i == a.count || b[j].start < a[i].start {
                out.append(b[j])
                j += 1
            } else {
                var m = a[i]
                m.merge(b[j])
                out.append(m)
                i += 1
                j += 1
            }
        }
        return out
    }
}

extension Rollups {
    /// Sorts buckets by start (stably) and merges those with equal starts, earlier first.
    public static func coalesce(_ buckets: [RollupBucket]) -> [RollupBucket] {
        let sorted = buckets.enumerated().sorted { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }.map(\.element)
        var out: [RollupBucket] = []
        out.reserveCapacity(sorted.count)
        for b in sorted {
            if let last = out.last, last.start == b.start { out[out.count - 1].merge(b) } else { out.append(b) }
        }
        return out
    }
}
