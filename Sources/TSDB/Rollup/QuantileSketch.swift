/// A mergeable quantile sketch with a relative-error guarantee (DDSketch, logarithmic mapping).
///
/// Guarantee: for a sketch of n > 0 non-NaN values with sorted order x[0] <= ... <= x[n-1],
/// `quantile(q)` returns a value v with |v - x[r]| <= alpha * |x[r]| where
/// r = floor(q * (n - 1)) (0-based rank, computed in Double), up to floating-point rounding
/// (~1e-12 relative), for every x[r] with |x[r]| >= `Double.leastNormalMagnitude`.
/// The guarantee survives `merge` of sketches of equal accuracy (bucket counts add exactly).
///
/// Semantics:
/// - NaN is ignored (not counted).
/// - Zero, -0.0 and subnormal magnitudes go to a zero count and are reported as 0.0.
/// - Negative values go to a separate store keyed by their magnitude (as DDSketch does).
/// - +Inf / -Inf are clamped into the top bucket of their sign; their quantile is reported as
///   +/- `Double.greatestFiniteMagnitude` (never infinite).
/// See docs/format/rollups.md for the encoding.
public struct QuantileSketch: Sendable, Equatable {
    var mapping: LogarithmicMapping
    var negative = SketchStore()
    var positive = SketchStore()
    var zeroCount: Int64 = 0
    /// Number of non-NaN values added (sum of all bucket counts).
    public private(set) var count: Int64 = 0

    /// An empty sketch; `relativeAccuracy` must lie in 1e-6...0.5 (programmer error otherwise).
    public init(relativeAccuracy: Double = 0.01) {
        mapping = LogarithmicMapping(relativeAccuracy: relativeAccuracy)
    }

    /// Assembles a sketch from already validated parts (the decoder's path).
    init(mapping: LogarithmicMapping, zeroCount: Int64, negative: SketchStore, positive: SketchStore, count: Int64) {
        self.mapping = mapping
        self.zeroCount = zeroCount
        self.negative = negative
        self.positive = positive
        self.count = count
    }

    /// The alpha of the guarantee above.
    public var relativeAccuracy: Double { mapping.relativeAccuracy }

    /// Adds one value (NaN ignored, infinities clamped, tiny magnitudes counted as zero).
    public mutating func add(_ value: Double) {
        if value.isNaN { return }
        let magnitude = value.magnitude
        if magnitude < LogarithmicMapping.minIndexable {
            zeroCount += 1
        } else if value > 0 {
            positive.add(mapping.key(magnitude))
        } else {
            negative.add(mapping.key(magnitude))
        }
        count += 1
    }

    /// Adds all values of `other`. With equal accuracy the bucket counts add (lossless, the
    /// guarantee holds for the union). With a different accuracy an empty `self` adopts `other`
    /// as is; otherwise each of `other`'s buckets is re-added at its representative value, so
    /// those values carry an error of up to about alpha_self + alpha_other (never traps).
    public mutating func merge(_ other: QuantileSketch) {
        if other.count == 0 { return }
        if mapping == other.mapping {
            negative.merge(other.negative)
            positive.merge(other.positive)
        } else if count == 0 {
            self = other
            return
        } else {
            for (k, c) in zip(other.negative.keys, other.negative.counts) {
                negative.add(mapping.key(other.mapping.representative(k)), count: c)
            }
            for (k, c) in zip(other.positive.keys, other.positive.counts) {
                positive.add(mapping.key(other.mapping.representative(k)), count: c)
            }
        }
        zeroCount += other.zeroCount
        count += other.count
    }

    /// The q-quantile (rank floor(q * (count - 1)), see the type comment); nil when the sketch is
    /// empty or q is outside [0, 1] (or NaN).
    public func quantile(_ q: Double) -> Double? {
        guard count > 0, q >= 0, q <= 1 else { return nil }
        let rank = Int64((q * Double(count - 1)).rounded(.down))
        var seen: Int64 = 0
        // Ascending value order: most negative first (negative keys descending), zero, positive.
        var i = negative.keys.count - 1
        while i >= 0 {
            seen += negative.counts[i]
            if seen > rank { return -mapping.representative(negative.keys[i]) }
            i -= 1
        }
        seen += zeroCount
        if seen > rank { return 0 }
        for i in positive.keys.indices {
            seen += positive.counts[i]
            if seen > rank { return mapping.representative(positive.keys[i]) }
        }
        // Unreachable while count == sum of bucket counts (checked by the decoder).
        return positive.keys.last.map { mapping.representative($0) }
    }

    /// Debug check: the counts add up and every store is sorted, positive and in key range.
    func _checkInvariants() {
        assert(count == zeroCount + negative.total + positive.total, "sketch count mismatch")
        for store in [negative, positive] {
            assert(store.keys.count == store.counts.count)
            assert(zip(store.keys, store.keys.dropFirst()).allSatisfy { $0 < $1 }, "sketch keys unsorted")
            assert(store.counts.allSatisfy { $0 > 0 }, "empty sketch bucket")
            assert(store.keys.allSatisfy { mapping.minKey...mapping.maxKey ~= $0 }, "sketch key out of range")
        }
    }
}
