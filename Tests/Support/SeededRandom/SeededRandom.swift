import Foundation

/// SplitMix64: the one small seeded generator of the test targets, so a failing seed replays
/// exactly. Not for anything but tests and benchmarks.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Standard normal (Box-Muller).
    public mutating func normal() -> Double {
        let u = Swift.max(uniform(), 1e-300)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * uniform())
    }
}
