import Testing

@testable import Workload

@Suite struct WorkloadRNGTests {
    @Test func splitMixAndXoshiroMatchReferenceVectors() {
        var state: UInt64 = 0
        #expect(WorkloadRNG.splitMix(&state) == 0xE220_A839_7B1D_CDAF)
        // xoshiro256** from state {1, 2, 3, 4} (reference implementation by Blackman and Vigna).
        var rng = WorkloadRNG(state: (1, 2, 3, 4))
        #expect((0..<4).map { _ in rng.next() } == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
    }

    @Test func streamsDiffer() {
        var a = WorkloadRNG(seed: 42, stream: 1)
        var b = WorkloadRNG(seed: 42, stream: 2)
        var c = WorkloadRNG(seed: 42, stream: 1)
        let x = (0..<8).map { _ in a.next() }
        #expect(x != (0..<8).map { _ in b.next() })
        #expect(x == (0..<8).map { _ in c.next() })
    }

    @Test(arguments: [0.5, 3.0, 9.9, 10.0, 47.0, 400.0])
    func poissonHasItsMeanAndVariance(lambda: Double) {
        var rng = WorkloadRNG(seed: 11)
        let n = 20_000
        let draws = (0..<n).map { _ in Double(rng.poisson(lambda)) }
        let mean = draws.reduce(0, +) / Double(n)
        let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        // Standard error of the mean is sqrt(lambda / n): allow ~5 of them.
        #expect(abs(mean - lambda) < 5 * (lambda / Double(n)).squareRoot())
        #expect(abs(variance / lambda - 1) < 0.06)
        #expect(draws.allSatisfy { $0 >= 0 })
    }

    @Test func normalHasMeanZeroAndUnitVariance() {
        var rng = WorkloadRNG(seed: 12)
        let n = 40_000
        let draws = (0..<n).map { _ in rng.normal() }
        let mean = draws.reduce(0, +) / Double(n)
        let variance = draws.reduce(0) { $0 + $1 * $1 } / Double(n) - mean * mean
        #expect(abs(mean) < 0.025)
        #expect(abs(variance - 1) < 0.04)
        // ~4.6 % beyond two sigma.
        let tail = Double(draws.filter { abs($0) > 2 }.count) / Double(n)
        #expect(tail > 0.038 && tail < 0.053)
    }

    @Test func uniformAndBoundedDraws() {
        var rng = WorkloadRNG(seed: 13)
        var buckets = Array(repeating: 0, count: 7)
        for _ in 0..<70_000 {
            let u = rng.uniformOpen()
            #expect(u > 0 && u < 1)
            buckets[Int(rng.below(7))] += 1
        }
        #expect(buckets.allSatisfy { abs($0 - 10_000) < 500 })
        let geometric = (0..<20_000).map { _ in Double(rng.geometric(mean: 3)) }
        #expect(abs(geometric.reduce(0, +) / 20_000 - 3) < 0.15)
    }
}
