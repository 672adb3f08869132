import Foundation

/// SplitMix64: a tiny seeded generator so every codec test is reproducible from its seed.
struct CodecTestRNG: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 0x1234_5678 }

    mutating func next() -> UInt64 {
        SplitMix64.next(&state)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Standard normal (Box-Muller).
    mutating func normal() -> Double {
        let u = max(unit(), 0x1p-60)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * unit())
    }

    /// Exponential with the given mean.
    mutating func exponential(mean: Double) -> Double { -log(max(unit(), 0x1p-60)) * mean }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
}
