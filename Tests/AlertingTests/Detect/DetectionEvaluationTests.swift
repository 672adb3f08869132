import Testing

@testable import Alerting

@Suite struct DetectionEvaluationTests {
    /// The detection figures documented in docs/ALERTS.md hold, with margin, on unseen seeds.
    @Test(arguments: [11, 22, 33] as [UInt64])
    func detectionAndFalseAlarmBounds(seed: UInt64) {
        let r = DetectionBenchmark.run(seed: seed, series: 6, points: 4320)
        #expect(r.report.incidents >= 24)
        #expect(r.detectionRate >= 0.8, "detection \(r.detectionRate) \(r.report.detectedByKind)")
        #expect(r.falseAlarmsPer1000 <= 2, "false alarms \(r.falseAlarmsPer1000)")
        #expect(r.meanDelayPoints < 40)
    }

    @Test func scoringAgainstLabels() {
        let s = LabelledSeries(
            name: "x", shape: .cpuGauge, timestamps: Array(0..<100), values: [Double](repeating: 0, count: 100),
            incidents: [LabelledIncident(kind: .spike, start: 10, end: 12), LabelledIncident(kind: .drift, start: 50, end: 60)])
        var r = DetectionReport()
        DetectionEvaluation.add(alerts: [13, 27, 80], of: s, grace: 15, to: &r)
        #expect(r.detected == 1 && r.falseAlarms == 1 && r.totalDelayPoints == 3)
        #expect(r.detectionRate == 0.5 && r.falseAlarmsPer1000 == 10)
    }
}
