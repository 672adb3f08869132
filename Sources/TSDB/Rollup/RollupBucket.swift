/// The aggregate of one series over one aligned time bucket (a rollup row).
///
/// Semantics (also in docs/format/rollups.md):
/// - `count` counts every sample, NaN included; NaN propagates into `sum` and `sumOfSquares`
///   (as Prometheus' sum_over_time does).
/// - `min` / `max` ignore NaN unless every sample is NaN (then NaN); -0.0 counts as below 0.0
///   (IEEE minimum/maximum), so both are independent of the order samples arrive in.
/// - `first` = value at the earliest timestamp (first added wins a tie), `last` = value at the
///   latest timestamp (last added wins a tie); their timestamps are kept for counter rates.
/// - `sketch` exists only for event (latency-like) series; it ignores NaN, so
///   `sketch.count <= count`.
/// An empty bucket has count 0, NaN min/max and first/last timestamps equal to `start`.
public struct RollupBucket: Sendable, Equatable {
    /// Bucket start in ms, aligned to the resolution (floored, also for negative timestamps).
    public var start: Int64
    public var count: Int64
    public var sum: Double, min: Double, max: Double
    public var first: Double, firstTimestamp: Int64, last: Double, lastTimestamp: Int64
    public var sumOfSquares: Double
    public var sketch: QuantileSketch?

    /// An empty bucket; pass a sketch (usually empty) for event series.
    public init(start: Int64, sketch: QuantileSketch? = nil) {
        self.start = start
        count = 0
        sum = 0
        min = .nan
        max = .nan
        first = .nan
        firstTimestamp = start
        last = .nan
        lastTimestamp = start
        sumOfSquares = 0
        self.sketch = sketch
    }

    /// Adds one raw sample.
    public mutating func add(timestamp: Int64, value: Double) {
        if count == 0 || timestamp < firstTimestamp {
            first = value
            firstTimestamp = timestamp
        }
        if count == 0 || timestamp >= lastTimestamp {
            last = value
            lastTimestamp = timestamp
        }
        if Self.replacesMin(value, min) { min = value }
        if Self.replacesMax(value, max) { max = value }
        count += 1
        sum += value
        sumOfSquares += value * value
        sketch?.add(value)
    }

    /// Adds the samples aggregated in `other` as if they were added after this bucket's
    /// samples: exact for count/min/max/first/last, sum and sumOfSquares add (summation order
    /// differs from raw, so only equal within rounding), sketches merge. If both buckets hold
    /// samples but only one carries a sketch, the result has none (it would miss samples).
    /// `start` is left unchanged (downsampling merges fine buckets into a coarse one).
    public mutating func merge(_ other: RollupBucket) {
        if other.count == 0 { return }
        if count == 0 {
            let start = self.start
            self = other
            self.start = start
            return
        }
        if other.firstTimestamp < firstTimestamp {
            first = other.first
            firstTimestamp = other.firstTimestamp
        }
        if other.lastTimestamp >= lastTimestamp {
            last = other.last
            lastTimestamp = other.lastTimestamp
        }
        if Self.replacesMin(other.min, min) { min = other.min }
        if Self.replacesMax(other.max, max) { max = other.max }
        count += other.count
        sum += other.sum
        sumOfSquares += other.sumOfSquares
        if let o = other.sketch, sketch != nil {
            sketch?.merge(o)
        } else {
            sketch = nil
        }
    }

    /// Whether `v` becomes the new min: NaN never does, anything replaces a NaN (all-NaN so
    /// far), and -0.0 is below 0.0.
    @inline(__always) static func replacesMin(_ v: Double, _ current: Double) -> Bool {
        !v.isNaN && (current.isNaN || v < current || (v == current && v.sign == .minus && current.sign == .plus))
    }

    /// Mirror of `replacesMin`: 0.0 is above -0.0.
    @inline(__always) static func replacesMax(_ v: Double, _ current: Double) -> Bool {
        !v.isNaN && (current.isNaN || v > current || (v == current && v.sign == .plus && current.sign == .minus))
    }

    /// Debug check used by tests and the encoder.
    func _checkInvariants() {
        assert(count >= 0 && count <= RollupCodec.maxCount)
        if count > 0 {
            assert(start <= firstTimestamp && firstTimestamp <= lastTimestamp, "first before start or after last")
            assert(min.isNaN || max.isNaN || min <= max, "min > max")
        }
        if let s = sketch {
            s._checkInvariants()
            assert(s.count <= count, "sketch holds more values than the bucket")
        }
    }
}
