import Testing

@testable import Alerting

@Suite struct AnomalyAlerterTests {
    private func run(_ values: [Double], settings: DetectorSettings = DetectorSettings()) -> [Int] {
        var a = AnomalyAlerter(settings: settings, seasonal: nil)
        return values.indices.filter { a.observe(timestamp: Int64($0) * 60_000, value: values[$0]).alert }
    }

    private func noise(_ n: Int, seed: UInt64) -> [Double] {
        var rng = DetectionRNG(seed: seed)
        return (0..<n).map { _ in 50 + rng.normal() }
    }

    @Test func singleOutlierDoesNotAlert() {
        var xs = noise(400, seed: 1)
        xs[200] += 15
        #expect(run(xs).isEmpty)
    }

    @Test func levelShiftAlertsOnceWithinCooldown() {
        var xs = noise(400, seed: 2)
        for i in 200..<260 { xs[i] += 4 }
        let alerts = run(xs)
        #expect(alerts.first.map { $0 >= 200 && $0 <= 206 } == true)
        #expect(alerts.filter { $0 < 230 }.count == 1)  // re-fires suppressed by the 30 min cool-down
    }

    @Test func forDurationZeroFiresOnTheFirstBreach() {
        var s = DetectorSettings()
        s.forDuration = 0
        var xs = noise(300, seed: 3)
        xs[200] += 30
        #expect(run(xs, settings: s) == [200])
    }
}
