/// Detection quality of the alerter over labelled series.
public struct DetectionReport: Sendable, Equatable {
    public var series = 0
    public var points = 0
    public var incidents = 0
    public var detected = 0
    public var falseAlarms = 0
    /// Sum of (first alert index - incident start) over detected incidents.
    public var totalDelayPoints = 0
    /// Incidents and detections per kind.
    public var incidentsByKind: [IncidentKind: Int] = [:]
    public var detectedByKind: [IncidentKind: Int] = [:]

    /// An empty report.
    public init() {}

    /// Detected incidents / incidents (1 when there are none).
    public var detectionRate: Double { incidents == 0 ? 1 : Double(detected) / Double(incidents) }
    /// Alerts outside every incident window (+grace), per 1000 points.
    public var falseAlarmsPer1000: Double { points == 0 ? 0 : 1000 * Double(falseAlarms) / Double(points) }
    /// Mean points from incident start to its first alert, over detected incidents.
    public var meanDelayPoints: Double { detected == 0 ? 0 : Double(totalDelayPoints) / Double(detected) }
}

/// Runs `AnomalyAlerter` over labelled series and scores its alerts against the labels.
public enum DetectionEvaluation {
    /// An incident counts as detected when an alert falls in `start...end + grace`; an alert
    /// outside every such window is a false alarm.
    public static func evaluate(_ series: [LabelledSeries], settings: DetectorSettings = DetectorSettings(), grace: Int = 15)
        -> DetectionReport
    {
        var report = DetectionReport()
        for s in series {
            var alerter = AnomalyAlerter(settings: settings)
            var alerts: [Int] = []
            for i in s.values.indices where alerter.observe(timestamp: s.timestamps[i], value: s.values[i]).alert {
                alerts.append(i)
            }
            add(alerts: alerts, of: s, grace: grace, to: &report)
        }
        return report
    }

    /// Scores alert indices `alerts` of series `s` into `report`.
    static func add(alerts: [Int], of s: LabelledSeries, grace: Int, to report: inout DetectionReport) {
        report.series += 1
        report.points += s.values.count
        for inc in s.incidents {
            report.incidents += 1
            report.incidentsByKind[inc.kind, default: 0] += 1
            if let first = alerts.first(where: { $0 >= inc.start && $0 <= inc.end + grace }) {
                report.detected += 1
                report.detectedByKind[inc.kind, default: 0] += 1
                report.totalDelayPoints += first - inc.start
            }
        }
        for a in alerts where !s.incidents.contains(where: { a >= $0.start && a <= $0.end + grace }) {
            report.falseAlarms += 1
        }
    }
}
