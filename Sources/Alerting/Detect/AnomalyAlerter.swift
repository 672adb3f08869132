/// The score of one point and whether it sends a firing notification.
public struct AnomalyAlert: Sendable, Equatable {
    public var score: AnomalyScore
    /// True exactly when a firing notification (new alert or escalation) is sent at this point.
    public var alert: Bool
    /// The state machine's phase after this point.
    public var phase: AlertPhase
}

/// `AnomalyDetector` + `AlertStateMachine` on the score + `NotificationLimiter` (dedup, cool-down):
/// what the service runs per series and what `tsdb detect` prints.
///
/// Thresholds: above `alertScore` is warning, above `criticalScore` critical, a firing alert
/// resolves below `resolveScore`, and the score must stay above `alertScore` for `forDuration`.
/// A re-fire suppressed by the cool-down is re-admitted once the cool-down has ended if the alert
/// is still firing then (as the limiter's `deferredKeys` asks the owner to do).
public struct AnomalyAlerter: Sendable {
    public private(set) var detector: AnomalyDetector
    public private(set) var machine: AlertStateMachine
    public private(set) var limiter: NotificationLimiter
    /// The limiter key of this series.
    public let key: String

    /// An alerter with `settings`; `seasonal` as for `AnomalyDetector`.
    public init(
        settings: DetectorSettings = DetectorSettings(), seasonal: (any SeasonalBaseline)? = DailyProfileBaseline(), key: String = "anomaly"
    ) {
        detector = AnomalyDetector(settings: settings, seasonal: seasonal)
        machine = AlertStateMachine(
            thresholds: AlertThresholds(
                direction: .above, warning: settings.alertScore, critical: settings.criticalScore,
                resolve: settings.resolveScore, forDuration: settings.forDuration))
        limiter = NotificationLimiter(cooldown: settings.cooldown, maxPerMinute: .max)
        self.key = key
    }

    /// Scores one point, advances the alert and says whether a firing notification is sent.
    public mutating func observe(timestamp: Int64, value: Double) -> AnomalyAlert {
        let s = detector.score(timestamp: timestamp, value: value)
        var alert = false
        for t in machine.observe(s.isWarmingUp ? nil : s.score, at: timestamp) {
            let sent = limiter.admit(key: key, t) == .send
            alert = alert || (sent && t.to == .firing)
        }
        if !alert, machine.phase == .firing, !limiter.deferredKeys(dueAt: timestamp).isEmpty {
            let t = AlertTransition(
                from: .firing, to: .firing, severity: machine.severity, previousSeverity: machine.severity, at: timestamp, value: s.score)
            alert = limiter.admit(key: key, t) == .send
        }
        return AnomalyAlert(score: s, alert: alert, phase: machine.phase)
    }
}
