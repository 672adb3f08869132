import Foundation

/// Seeded SplitMix64 for the rollup tests (named apart from other areas' RNGs).
struct RollupTestRNG {
    var state: UInt64

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1 }

    mutating func next() -> UInt64 {
        SplitMix64.next(&state)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func int(_ range: ClosedRange<Int64>) -> Int64 {
        range.lowerBound + Int64(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Standard normal (Box-Muller).
    mutating func normal() -> Double {
        let u1 = Swift.max(unit(), 1e-300)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * unit())
    }

    /// Heavy-tailed latency in ms: log-normal around ~20 ms with 2% spikes 10-1000x larger.
    mutating func latency() -> Double {
        var v = exp(3 + 0.8 * normal())
        if chance(0.02) { v *= 10 + 990 * unit() }
        return v
    }

    /// A latency or, rarely, a NaN, zero, -0.0, subnormal, negative or huge value.
    mutating func nastyValue() -> Double {
        switch next() % 50 {
        case 0: return .nan
        case 1: return 0
        case 2: return -0.0
        case 3: return -latency()
        case 4: return Double.leastNonzeroMagnitude
        case 5: return 1e300 * unit()
        default: return latency()
        }
    }
}
