/// Seeded SplitMix64 for the import tests (named for this area to avoid clashes).
struct EventsTestRNG: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        SplitMix64.next(&state)
    }

    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    mutating func int(_ r: Range<Int>) -> Int { Int.random(in: r, using: &self) }
    mutating func pick<T>(_ xs: [T]) -> T { xs[int(0..<xs.count)] }
}
