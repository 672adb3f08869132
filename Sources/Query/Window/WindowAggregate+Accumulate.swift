import TSDB

extension WindowAggregate {
    /// Adds raw samples that follow everything added so far (sorted by timestamp).
    mutating func addRaw(timestamps: ArraySlice<Int64>, values: ArraySlice<Double>) {
        guard let t0 = timestamps.first, let v0 = values.first, let tn = timestamps.last, let vn = values.last else { return }
        var previous = last
        if first == nil {
            first = v0
            firstTimestamp = t0
        }
        var s = sum
        var sq = sumOfSquares
        var lo = min
        var hi = max
        var inc = increase
        values.withUnsafeBufferPointer { vs in
            for v in vs {
                s += v
                sq += v * v
                if Self.replacesMin(v, lo) { lo = v }
                if Self.replacesMax(v, hi) { hi = v }
                if let p = previous { inc += v < p ? v : v - p }
                previous = v
            }
        }
        sum = s
        sumOfSquares = sq
        min = lo
        max = hi
        increase = inc
        count += Int64(values.count)
        last = vn
        lastTimestamp = tn
        rawParts.append(values)
    }

    /// Adds rollup buckets that follow everything added so far (sorted by start).
    mutating func addBuckets(_ buckets: ArraySlice<RollupBucket>) {
        for b in buckets where b.count > 0 {
            if let p = last {
                increase += b.first < p ? b.first : b.first - p
            } else {
                first = b.first
                firstTimestamp = b.firstTimestamp
            }
            if b.count > 1 {
                let reset = b.min < b.first || b.last < b.first
                increase += reset ? (b.max - b.first) + b.last : b.last - b.first
            }
            count += b.count
            sum += b.sum
            sumOfSquares += b.sumOfSquares
            if Self.replacesMin(b.min, min) { min = b.min }
            if Self.replacesMax(b.max, max) { max = b.max }
            last = b.last
            lastTimestamp = b.lastTimestamp
            if let sketch = b.sketch { sketches.append(sketch) } else { sketchMissing = true }
        }
    }
}
