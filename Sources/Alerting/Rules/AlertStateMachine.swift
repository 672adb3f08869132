/// How bad an alert is; `critical` sorts above `warning`.
public enum AlertSeverity: String, Sendable, Codable, Comparable, CaseIterable {
    case warning, critical

    public static func < (a: AlertSeverity, b: AlertSeverity) -> Bool { a == .warning && b == .critical }
}

/// Whether a value breaches by rising above or by falling below its thresholds.
public enum AlertDirection: String, Sendable, Codable {
    case above, below
}

/// The lifecycle phase of one alert.
public enum AlertPhase: String, Sendable, Codable {
    case inactive, pending, firing, resolved
}

/// Thresholds of one alert, in the unit of the watched value.
public struct AlertThresholds: Sendable, Equatable {
    public var direction: AlertDirection
    public var warning: Double?
    public var critical: Double?
    /// A firing alert resolves only once the value is back past this (hysteresis); nil: the warning
    /// (or critical, if no warning) threshold itself.
    public var resolve: Double?
    /// How long a breach must last before pending turns firing (0: fire at once).
    public var forDuration: Int64

    /// Thresholds breached strictly past `warning`/`critical` in `direction`.
    public init(direction: AlertDirection = .above, warning: Double?, critical: Double?, resolve: Double? = nil, forDuration: Int64 = 0) {
        self.direction = direction
        self.warning = warning
        self.critical = critical
        self.resolve = resolve
        self.forDuration = forDuration
    }

    /// Whether `value` is strictly past `threshold` in the breach direction.
    @inline(__always)
    func isPast(_ value: Double, _ threshold: Double) -> Bool {
        direction == .above ? value > threshold : value < threshold
    }

    /// The highest severity whose threshold `value` is past, nil when none is.
    public func severity(of value: Double) -> AlertSeverity? {
        if let c = critical, isPast(value, c) { return .critical }
        if let w = warning, isPast(value, w) { return .warning }
        return nil
    }

    /// The threshold of `severity` (for messages).
    public func threshold(for severity: AlertSeverity) -> Double? {
        severity == .critical ? critical : warning
    }

    /// The effective resolve threshold: `resolve`, else warning, else critical.
    public var effectiveResolve: Double? { resolve ?? warning ?? critical }

    /// Whether a firing alert may resolve at `value`: strictly back past the resolve threshold.
    public func isResolved(_ value: Double) -> Bool {
        guard let r = effectiveResolve else { return true }
        return direction == .above ? value < r : value > r
    }
}

/// One change of an alert's phase or severity.
public struct AlertTransition: Sendable, Equatable {
    public var from: AlertPhase, to: AlertPhase
    /// Severity after the change (nil when resolved/inactive).
    public var severity: AlertSeverity?
    public var previousSeverity: AlertSeverity?
    public var at: Int64
    public var value: Double?

    /// A transition from `from` to `to` observed at `at`.
    public init(from: AlertPhase, to: AlertPhase, severity: AlertSeverity?, previousSeverity: AlertSeverity?, at: Int64, value: Double?) {
        self.from = from
        self.to = to
        self.severity = severity
        self.previousSeverity = previousSeverity
        self.at = at
        self.value = value
    }

    /// Whether a receiver should hear about it: entering/changing firing, or resolving.
    public var isNotifiable: Bool { to == .firing || to == .resolved }
}

/// inactive -> pending -> firing -> resolved (-> pending ...), with severity changes while firing.
///
/// - A breach is a value strictly past the warning (or critical) threshold in the rule's direction.
/// - pending lasts while the breach is younger than `forDuration`; with `forDuration == 0` the
///   machine goes straight to firing (one transition, no pending step).
/// - While firing, a change of severity is a `firing -> firing` transition. Between the resolve
///   and the warning threshold (the hysteresis band) the alert stays firing at the lowest
///   configured severity; it resolves only once strictly back past the resolve threshold.
/// - A pending alert whose value stops breaching returns to inactive (`pending -> inactive`
///   transition, not notification-worthy).
/// - nil or NaN (no data) changes nothing: the phase and severity are kept, a firing alert does not
///   resolve, and pending does not turn firing; the breach start is kept, so the next breaching
///   value is judged against the original start.
public struct AlertStateMachine: Sendable {
    /// May be changed at any time; the next observation judges against the new thresholds.
    public var thresholds: AlertThresholds
    public private(set) var phase: AlertPhase = .inactive
    public private(set) var severity: AlertSeverity?
    /// Start of the current breach (pending or firing), nil otherwise.
    public private(set) var breachSince: Int64?

    /// A machine in `inactive`.
    public init(thresholds: AlertThresholds) {
        self.thresholds = thresholds
    }

    /// Feeds one evaluation; nil value = no data (keeps state, see the type comment). Returns the
    /// transitions this observation caused (0 or 1).
    public mutating func observe(_ value: Double?, at time: Int64) -> [AlertTransition] {
        guard let v = value, !v.isNaN else { return [] }
        let breach = thresholds.severity(of: v)
        switch phase {
        case .inactive, .resolved:
            guard let sev = breach else { return [] }
            breachSince = time
            return [move(to: thresholds.forDuration <= 0 ? .firing : .pending, severity: sev, at: time, value: v)]
        case .pending:
            guard let sev = breach else {
                breachSince = nil
                return [move(to: .inactive, severity: nil, at: time, value: v)]
            }
            let since = breachSince ?? time
            if time &- since >= thresholds.forDuration {
                return [move(to: .firing, severity: sev, at: time, value: v)]
            }
            severity = sev  // pending tracks the current severity silently
            return []
        case .firing:
            if breach == nil && thresholds.isResolved(v) {
                breachSince = nil
                return [move(to: .resolved, severity: nil, at: time, value: v)]
            }
            // Inside the hysteresis band the alert keeps firing at the lowest configured severity.
            let sev = breach ?? (thresholds.warning != nil ? .warning : .critical)
            guard sev != severity else { return [] }
            return [move(to: .firing, severity: sev, at: time, value: v)]
        }
    }

    /// Changes phase and severity and describes the change.
    private mutating func move(to next: AlertPhase, severity newSeverity: AlertSeverity?, at time: Int64, value: Double) -> AlertTransition
    {
        let t = AlertTransition(from: phase, to: next, severity: newSeverity, previousSeverity: severity, at: time, value: value)
        phase = next
        severity = newSeverity
        return t
    }
}
