#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Xoshiro256** seeded through SplitMix64: the workload's only source of randomness, so a seed
/// reproduces the stream on every platform (no Foundation/system generator involved).
struct WorkloadRNG {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64
    /// Second Box-Muller variate, kept for the next `normal()` call.
    private var spareNormal = 0.0
    private var hasSpare = false

    /// Seeds from `seed` and a `stream` number, so independent parts of the workload (events,
    /// gauges, incident windows) draw from unrelated sequences and changing one leaves the others.
    init(seed: UInt64, stream: UInt64 = 0) {
        var sm = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        s0 = Self.splitMix(&sm)
        s1 = Self.splitMix(&sm)
        s2 = Self.splitMix(&sm)
        s3 = Self.splitMix(&sm)
    }

    /// Starts from a raw state (reference vectors in tests); the state must not be all zero.
    init(state: (UInt64, UInt64, UInt64, UInt64)) {
        (s0, s1, s2, s3) = state
    }

    static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1).
    @inline(__always)
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in (0, 1): safe to take the logarithm of.
    @inline(__always)
    mutating func uniformOpen() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }

    /// Uniform integer in [0, n) by multiply-high (Lemire, without the rejection step: the bias
    /// of at most n / 2^64 is irrelevant here).
    @inline(__always)
    mutating func below(_ n: UInt64) -> UInt64 { next().multipliedFullWidth(by: n).high }

    /// Uniform in [lo, hi).
    mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * uniform() }

    /// Standard normal by Box-Muller, two variates per logarithm.
    @inline(__always)
    mutating func normal() -> Double {
        if hasSpare {
            hasSpare = false
            return spareNormal
        }
        let radius = (-2 * log(uniformOpen())).squareRoot()
        let angle = 2 * Double.pi * uniform()
        spareNormal = radius * sin(angle)
        hasSpare = true
        return radius * cos(angle)
    }

    /// Exponential with mean 1.
    mutating func exponential() -> Double { -log(uniformOpen()) }

    /// Geometric count of failures before a success, with the given mean (>= 0).
    mutating func geometric(mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        let q = mean / (1 + mean)
        return Int(log(uniformOpen()) / log(q))
    }

    /// Poisson-distributed count: multiplication of uniforms for small means, Hörmann's
    /// transformed rejection (PTRS, as in numpy) above 10, so the cost stays O(1) for large means.
    mutating func poisson(_ lambda: Double) -> Int {
        guard lambda > 0 else { return 0 }
        if lambda < 10 {
            let limit = exp(-lambda)
            var k = 0
            var product = uniform()
            while product > limit {
                k += 1
                product *= uniform()
            }
            return k
        }
        let slam = lambda.squareRoot()
        let loglam = log(lambda)
        let b = 0.931 + 2.53 * slam
        let a = -0.059 + 0.02483 * b
        let invAlpha = 1.1239 + 1.1328 / (b - 3.4)
        let vr = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = uniform() - 0.5
            let v = uniform()
            let us = 0.5 - abs(u)
            let k = ((2 * a / us + b) * u + lambda + 0.43).rounded(.down)
            if us >= 0.07 && v <= vr { return Int(k) }
            if k < 0 || (us < 0.013 && v > us) { continue }
            if log(v) + log(invAlpha) - log(a / (us * us) + b) <= -lambda + k * loglam - lgamma(k + 1) {
                return Int(k)
            }
        }
    }
}
