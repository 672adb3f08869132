/// What the limiter decided for one transition.
public enum NotificationDecision: Sendable, Equatable {
    /// Notify now.
    case send
    /// Same state as the last notification of this key, or a resolve whose firing was never notified.
    case suppressedDuplicate
    /// A re-fire (or de-escalation) within the cool-down after the last firing notification.
    case suppressedCooldown
    /// Over the global per-minute cap: counted into the storm summary instead.
    case heldForStorm
    /// Not notification-worthy (to pending or inactive); only worth a log line.
    case ignored
}

/// Notifications held back during one or more storm minutes.
public struct StormSummary: Sendable, Equatable, Codable {
    /// Start of the first storm minute (ms).
    public var from: Int64
    /// End (exclusive) of the last storm minute (ms).
    public var to: Int64
    public var held: Int
    public var warning: Int
    public var critical: Int
    public var resolved: Int
    /// Up to 10 keys of held notifications, in arrival order.
    public var sampleKeys: [String]

    /// A one-line, Slack-compatible description.
    public var text: String {
        "Alert storm: \(held) notifications held back (critical \(critical), warning \(warning), resolved \(resolved)); e.g. "
            + sampleKeys.prefix(3).joined(separator: ", ")
    }
}

/// Counters of the limiter's decisions.
public struct NotificationCounters: Sendable, Equatable, Codable {
    public var sentWarning = 0
    public var sentCritical = 0
    public var sentResolved = 0
    public var suppressedDuplicate = 0
    public var suppressedCooldown = 0
    public var heldForStorm = 0
    public var ignored = 0
    /// Every notification sent.
    public var sent: Int { sentWarning + sentCritical + sentResolved }
}

/// Deduplication and rate limiting of notifications.
///
/// Per key: a transition to the same (phase, severity) as the last notified one is a duplicate;
/// a resolve is only notified when the last notification was firing; within `cooldown` after a
/// firing notification, a re-fire (after a resolve) or a de-escalation is suppressed, while an
/// escalation above the last notified severity always passes. Globally, at most `maxPerMinute`
/// notifications are sent per wall minute of `transition.at`; the rest are held and summarised.
public struct NotificationLimiter: Sendable {
    /// Default per-key cool-down (ms).
    public let cooldown: Int64
    /// Global cap of notifications sent per wall minute.
    public let maxPerMinute: Int
    public private(set) var counters = NotificationCounters()

    private struct KeyState {
        var lastPhase: AlertPhase?
        var lastSeverity: AlertSeverity?
        var lastFiringSentAt: Int64?
        var cooldown: Int64 = 0
        /// A firing suppressed by the cool-down, to be sent once it ends if still firing.
        var deferred = false
    }

    private var keys: [String: KeyState] = [:]
    private var minute: Int64 = .min
    private var sentThisMinute = 0
    private var storm: StormSummary?

    /// A limiter with a per-key `cooldown` (ms) and a global cap per minute.
    public init(cooldown: Int64, maxPerMinute: Int) {
        self.cooldown = cooldown
        self.maxPerMinute = max(1, maxPerMinute)
    }

    /// Whether the transition of alert `key` is notified now; suppressed ones are counted, and
    /// over the global cap they are collected into a storm summary.
    public mutating func admit(key: String, _ transition: AlertTransition) -> NotificationDecision {
        admit(key: key, transition, cooldown: cooldown)
    }

    /// `admit` with this key's own cool-down (e.g. the rule's) instead of the limiter's.
    public mutating func admit(key: String, _ transition: AlertTransition, cooldown: Int64) -> NotificationDecision {
        let decision = decide(key: key, transition, cooldown: cooldown)
        switch decision {
        case .send:
            counters.sentWarning += transition.to == .firing && transition.severity == .warning ? 1 : 0
            counters.sentCritical += transition.to == .firing && transition.severity == .critical ? 1 : 0
            counters.sentResolved += transition.to == .resolved ? 1 : 0
        case .suppressedDuplicate: counters.suppressedDuplicate += 1
        case .suppressedCooldown: counters.suppressedCooldown += 1
        case .heldForStorm: counters.heldForStorm += 1
        case .ignored: counters.ignored += 1
        }
        return decision
    }

    private mutating func decide(key: String, _ t: AlertTransition, cooldown: Int64) -> NotificationDecision {
        guard t.isNotifiable else {
            if t.to == .inactive { keys[key]?.deferred = false }
            return .ignored
        }
        var state = keys[key] ?? KeyState()
        state.cooldown = cooldown
        defer { keys[key] = state }
        if t.to == .resolved {
            state.deferred = false
            guard state.lastPhase == .firing else { return .suppressedDuplicate }
        } else {
            if state.lastPhase == .firing && state.lastSeverity == t.severity {
                state.deferred = false
                return .suppressedDuplicate
            }
            let escalation = state.lastPhase == .firing && (t.severity ?? .warning) > (state.lastSeverity ?? .critical)
            if !escalation, let last = state.lastFiringSentAt, t.at &- last < cooldown {
                state.deferred = true
                return .suppressedCooldown
            }
        }
        let m = t.at >= 0 ? t.at / 60_000 : (t.at &+ 1) / 60_000 &- 1
        if m > minute {
            minute = m
            sentThisMinute = 0
        }
        state.deferred = false
        guard sentThisMinute < maxPerMinute else {
            hold(key: key, t, minute: m)
            return .heldForStorm
        }
        sentThisMinute += 1
        state.lastPhase = t.to
        state.lastSeverity = t.severity
        if t.to == .firing { state.lastFiringSentAt = t.at }
        return .send
    }

    private mutating func hold(key: String, _ t: AlertTransition, minute m: Int64) {
        var s =
            storm
            ?? StormSummary(from: m &* 60_000, to: m &* 60_000 &+ 60_000, held: 0, warning: 0, critical: 0, resolved: 0, sampleKeys: [])
        s.to = max(s.to, m &* 60_000 &+ 60_000)
        s.held += 1
        switch (t.to, t.severity) {
        case (.resolved, _): s.resolved += 1
        case (_, .critical?): s.critical += 1
        default: s.warning += 1
        }
        if s.sampleKeys.count < 10 { s.sampleKeys.append(key) }
        storm = s
    }

    /// The storm summary of the minute that ended, if anything was held back (at most one per
    /// minute: minutes not drained in time are merged into one summary).
    public mutating func drainStormSummary(now: Int64) -> StormSummary? {
        guard let s = storm, now >= s.to else { return nil }
        storm = nil
        return s
    }

    /// Keys whose firing was suppressed by the cool-down and whose cool-down has now ended: the
    /// owner re-admits them if the alert is still firing, so a re-fire is never lost for good.
    public func deferredKeys(dueAt now: Int64) -> [String] {
        keys.compactMap { key, s in
            guard s.deferred, let last = s.lastFiringSentAt, now &- last >= s.cooldown else { return nil }
            return key
        }.sorted()
    }

    /// The (phase, severity) last notified for `key`, nil if nothing was.
    public func lastNotified(key: String) -> (phase: AlertPhase, severity: AlertSeverity?)? {
        guard let s = keys[key], let p = s.lastPhase else { return nil }
        return (p, s.lastSeverity)
    }

    /// Drops the memory of `key` (e.g. a series that disappeared for good).
    public mutating func forget(key: String) {
        keys[key] = nil
    }
}
