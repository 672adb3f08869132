import SeededRandom

/// SplitMix64, seeded (the shared test generator).
typealias TransformTestRNG = SeededRandom
