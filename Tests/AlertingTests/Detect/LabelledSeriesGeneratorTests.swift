import Testing

@testable import Alerting

@Suite struct LabelledSeriesGeneratorTests {
    @Test func deterministicPerSeed() {
        var a = LabelledSeriesGenerator(seed: 42)
        var b = LabelledSeriesGenerator(seed: 42)
        let x = a.dataset(count: 3)
        let y = b.dataset(count: 3)
        for (s, t) in zip(x, y) {
            #expect(s.values.map(\.bitPattern) == t.values.map(\.bitPattern))
            #expect(s.incidents == t.incidents && s.timestamps == t.timestamps)
        }
    }

    @Test(arguments: SeriesShape.allCases)
    func shapesAndIncidents(shape: SeriesShape) {
        var g = LabelledSeriesGenerator(seed: 7)
        let s = g.series(shape, name: "x")
        #expect(s.values.count == 4320 && s.timestamps.count == 4320)
        #expect(s.values.allSatisfy { $0.isFinite && $0 >= 0 })
        #expect(zip(s.timestamps, s.timestamps.dropFirst()).allSatisfy { $1 - $0 == 60_000 })
        #expect(s.incidents.count >= 4)
        for (a, b) in zip(s.incidents, s.incidents.dropFirst()) { #expect(a.end + 100 < b.start) }
        #expect(s.incidents.allSatisfy { $0.start >= 1440 && $0.end < 4320 && $0.start <= $0.end })
    }

    @Test func counterRatesHandleResets() {
        let ts: [Int64] = [0, 60_000, 120_000, 180_000]
        #expect(CounterRates.perSecond(timestamps: ts, cumulative: [100, 160, 30, 90]) == [1, 0.5, 1])
    }
}
