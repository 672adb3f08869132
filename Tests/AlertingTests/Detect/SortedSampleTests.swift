import Testing

@testable import Alerting

@Suite struct SortedSampleTests {
    private func bruteMedian(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        let n = s.count
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2])
    }

    @Test(arguments: [1, 2, 3, 7, 8, 60, 61, 255])
    func medianAndMADMatchBruteForce(size: Int) {
        var rng = DetectionRNG(seed: UInt64(size))
        for _ in 0..<50 {
            var sample = SortedSample(capacity: size)
            var xs: [Double] = []
            for _ in 0..<size {
                // Coarse values so duplicates are common.
                let x = (rng.normal() * 4).rounded() / 2 + 0.0  // no -0.0: it sorts equal to 0.0
                xs.append(x)
                sample.insert(x)
            }
            let m = bruteMedian(xs)
            #expect(sample.median().bitPattern == m.bitPattern)
            let mad = bruteMedian(xs.map { abs($0 - m) })
            #expect(sample.mad(around: m).bitPattern == mad.bitPattern)
        }
    }

    @Test func removeKeepsOrderAndCount() {
        var rng = DetectionRNG(seed: 9)
        var sample = SortedSample(capacity: 64)
        var xs: [Double] = []
        for i in 0..<2000 {
            let x = (rng.normal() * 3).rounded()
            xs.append(x)
            sample.insert(x)
            if xs.count > 40 { sample.remove(xs.removeFirst()) }
            if i % 97 == 0 { #expect(sample.values == xs.sorted()) }
        }
        #expect(sample.count == 40)
    }
}
