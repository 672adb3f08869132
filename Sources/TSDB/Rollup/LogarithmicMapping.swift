import Foundation

/// DDSketch's logarithmic mapping from a positive magnitude to a bucket key.
///
/// gamma = (1 + alpha) / (1 - alpha); key(v) = ceil(log_gamma(v)), so bucket `i` holds the
/// magnitudes in (gamma^(i-1), gamma^i]. Its representative 2 * gamma^i / (gamma + 1) is within
/// relative error alpha of every magnitude in the bucket (Masson, Rim, Lee: "DDSketch", VLDB 2019).
/// Magnitudes below `minIndexable` (zero and subnormals) belong to the sketch's zero count;
/// magnitudes above `Double.greatestFiniteMagnitude` (infinity) are clamped into the top bucket.
struct LogarithmicMapping: Sendable, Equatable {
    /// Accepted accuracies: below 1e-6 the keys could leave Int32, above 0.5 the bound is useless.
    static let accuracyRange: ClosedRange<Double> = 1e-6...0.5
    /// Smallest magnitude that gets its own bucket; anything smaller counts as zero.
    static let minIndexable = Double.leastNormalMagnitude

    let relativeAccuracy: Double
    let gamma: Double
    let lnGamma: Double
    /// Keys of `minIndexable` and `greatestFiniteMagnitude`: every valid key lies in between.
    let minKey: Int32
    let maxKey: Int32

    init(relativeAccuracy alpha: Double) {
        precondition(Self.accuracyRange.contains(alpha), "relative accuracy \(alpha) outside \(Self.accuracyRange)")
        relativeAccuracy = alpha
        gamma = (1 + alpha) / (1 - alpha)
        // log1p keeps precision for small alpha: gamma - 1 = 2 alpha / (1 - alpha).
        lnGamma = log1p(2 * alpha / (1 - alpha))
        minKey = Int32(ceil(log(Self.minIndexable) / lnGamma))
        maxKey = Int32(ceil(log(Double.greatestFiniteMagnitude) / lnGamma))
    }

    /// Key of a magnitude `>= minIndexable` (infinity maps to `maxKey`).
    @inline(__always) func key(_ magnitude: Double) -> Int32 {
        guard magnitude <= Double.greatestFiniteMagnitude else { return maxKey }
        let k = ceil(log(magnitude) / lnGamma)
        // Rounding in log() may step one past the precomputed extremes; stay inside them.
        return Swift.min(Swift.max(Int32(k), minKey), maxKey)
    }

    /// The value reported for bucket `key`: 2 gamma^key / (gamma + 1), capped to a finite double.
    @inline(__always) func representative(_ key: Int32) -> Double {
        let v = exp(Double(key) * lnGamma) * (2 / (gamma + 1))
        return Swift.min(v, Double.greatestFiniteMagnitude)
    }
}
