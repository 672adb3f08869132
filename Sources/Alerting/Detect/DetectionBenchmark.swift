/// Figures of one detection benchmark run.
public struct DetectionBenchmarkResult: Sendable, Equatable {
    public var detectionRate: Double
    public var falseAlarmsPer1000: Double
    public var meanDelayPoints: Double
    /// Points scored and alerted per second (detector + state machine + limiter), one core.
    public var pointsPerSecond: Double
    /// The full evaluation behind the rates.
    public var report: DetectionReport
}

/// Entry point for `tsdb-bench alerts`: generate labelled series, alert on them, time it.
public enum DetectionBenchmark {
    /// Runs the default alerter over `series` generated series of `points` points each (seed `seed`).
    public static func run(seed: UInt64, series: Int, points: Int, settings: DetectorSettings = DetectorSettings())
        -> DetectionBenchmarkResult
    {
        var generator = LabelledSeriesGenerator(seed: seed, points: points)
        let data = generator.dataset(count: max(1, series))
        var report = DetectionReport()
        var elapsed = Duration.zero
        let clock = ContinuousClock()
        for s in data {
            var alerter = AnomalyAlerter(settings: settings)
            var alerts: [Int] = []
            alerts.reserveCapacity(64)
            let began = clock.now
            s.timestamps.withUnsafeBufferPointer { ts in
                s.values.withUnsafeBufferPointer { vs in
                    for i in 0..<vs.count where alerter.observe(timestamp: ts[i], value: vs[i]).alert {
                        alerts.append(i)
                    }
                }
            }
            elapsed += clock.now - began
            DetectionEvaluation.add(alerts: alerts, of: s, grace: 15, to: &report)
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return DetectionBenchmarkResult(
            detectionRate: report.detectionRate, falseAlarmsPer1000: report.falseAlarmsPer1000,
            meanDelayPoints: report.meanDelayPoints,
            pointsPerSecond: seconds > 0 ? Double(report.points) / seconds : 0, report: report)
    }
}
