import Testing

@testable import Alerting

/// One step of a limiter table: key, transition (compact) and the expected decision.
struct LimiterStep: Sendable {
    var key: String
    var at: Int64
    var from: AlertPhase
    var to: AlertPhase
    var severity: AlertSeverity?
    var expected: NotificationDecision

    init(_ key: String, _ at: Int64, _ from: AlertPhase, _ to: AlertPhase, _ severity: AlertSeverity?, _ expected: NotificationDecision) {
        (self.key, self.at, self.from, self.to, self.severity, self.expected) = (key, at, from, to, severity, expected)
    }

    var transition: AlertTransition {
        AlertTransition(from: from, to: to, severity: severity, previousSeverity: nil, at: at, value: 1)
    }
}

struct LimiterCase: Sendable, CustomStringConvertible {
    var description: String
    var steps: [LimiterStep]
}

@Suite struct NotificationLimiterTests {
    static let cases: [LimiterCase] = [
        LimiterCase(
            description: "duplicates of the last notified state",
            steps: [
                LimiterStep("a", 0, .inactive, .firing, .warning, .send),
                LimiterStep("a", 1_000, .firing, .firing, .warning, .suppressedDuplicate),
                LimiterStep("b", 1_000, .inactive, .firing, .warning, .send),
                LimiterStep("a", 2_000, .firing, .resolved, nil, .send),
                LimiterStep("a", 3_000, .firing, .resolved, nil, .suppressedDuplicate),
            ]),
        LimiterCase(
            description: "pending and inactive are ignored",
            steps: [
                LimiterStep("a", 0, .inactive, .pending, .warning, .ignored),
                LimiterStep("a", 1, .pending, .inactive, nil, .ignored),
                LimiterStep("a", 2, .inactive, .pending, .warning, .ignored),
                LimiterStep("a", 3, .pending, .firing, .warning, .send),
            ]),
        LimiterCase(
            description: "a resolve is notified only after a notified firing",
            steps: [
                LimiterStep("a", 0, .firing, .resolved, nil, .suppressedDuplicate)
            ]),
        LimiterCase(
            description: "re-fire within the cool-down is suppressed, and so is its resolve",
            steps: [
                LimiterStep("a", 0, .inactive, .firing, .warning, .send),
                LimiterStep("a", 10_000, .firing, .resolved, nil, .send),
                LimiterStep("a", 20_000, .resolved, .firing, .warning, .suppressedCooldown),
                LimiterStep("a", 30_000, .firing, .resolved, nil, .suppressedDuplicate),
                LimiterStep("a", 59_999, .resolved, .firing, .critical, .suppressedCooldown),
                LimiterStep("a", 60_000, .firing, .firing, .critical, .send),
                LimiterStep("b", 30_000, .inactive, .firing, .critical, .send),
            ]),
        LimiterCase(
            description: "escalation passes the cool-down, de-escalation does not",
            steps: [
                LimiterStep("a", 0, .inactive, .firing, .warning, .send),
                LimiterStep("a", 5_000, .firing, .firing, .critical, .send),
                LimiterStep("a", 10_000, .firing, .firing, .warning, .suppressedCooldown),
                LimiterStep("a", 15_000, .firing, .firing, .critical, .suppressedDuplicate),
                LimiterStep("a", 20_000, .firing, .resolved, nil, .send),
            ]),
        LimiterCase(
            description: "de-escalation after the cool-down is sent",
            steps: [
                LimiterStep("a", 0, .inactive, .firing, .critical, .send),
                LimiterStep("a", 60_000, .firing, .firing, .warning, .send),
            ]),
    ]

    @Test(arguments: cases) func table(_ c: LimiterCase) {
        var limiter = NotificationLimiter(cooldown: 60_000, maxPerMinute: 100)
        for (i, step) in c.steps.enumerated() {
            #expect(limiter.admit(key: step.key, step.transition) == step.expected, "step \(i)")
        }
    }

    @Test func deferredRefireIsDueAfterCooldown() {
        var limiter = NotificationLimiter(cooldown: 60_000, maxPerMinute: 100)
        _ = limiter.admit(key: "a", LimiterStep("a", 0, .inactive, .firing, .warning, .send).transition)
        _ = limiter.admit(key: "a", LimiterStep("a", 1, .firing, .resolved, nil, .send).transition)
        #expect(limiter.admit(key: "a", LimiterStep("a", 2, .resolved, .firing, .warning, .send).transition) == .suppressedCooldown)
        #expect(limiter.deferredKeys(dueAt: 59_999).isEmpty)
        #expect(limiter.deferredKeys(dueAt: 60_000) == ["a"])
        #expect(limiter.admit(key: "a", LimiterStep("a", 60_000, .firing, .firing, .warning, .send).transition) == .send)
        #expect(limiter.deferredKeys(dueAt: 200_000).isEmpty)
        #expect(limiter.lastNotified(key: "a")?.phase == .firing)
    }

    @Test func perKeyCooldownOverride() {
        var limiter = NotificationLimiter(cooldown: 60_000, maxPerMinute: 100)
        let fire = { (at: Int64) in
            AlertTransition(from: .resolved, to: .firing, severity: .warning, previousSeverity: nil, at: at, value: 1)
        }
        let resolve = { (at: Int64) in
            AlertTransition(from: .firing, to: .resolved, severity: nil, previousSeverity: .warning, at: at, value: 1)
        }
        #expect(limiter.admit(key: "a", fire(0), cooldown: 5_000) == .send)
        #expect(limiter.admit(key: "a", resolve(1_000), cooldown: 5_000) == .send)
        #expect(limiter.admit(key: "a", fire(5_000), cooldown: 5_000) == .send)
    }

    /// 500 alerts in one minute with a cap of 20: 20 sent, 480 held, one summary after the minute.
    @Test(arguments: [(500, 20), (20, 20), (21, 20), (1, 1)]) func storm(alerts: Int, cap: Int) throws {
        var limiter = NotificationLimiter(cooldown: 0, maxPerMinute: cap)
        let minuteStart: Int64 = 1_700_000_040_000
        var decisions: [NotificationDecision] = []
        for i in 0..<alerts {
            let severity: AlertSeverity = i % 5 == 0 ? .critical : .warning
            let t = AlertTransition(
                from: .inactive, to: .firing, severity: severity, previousSeverity: nil, at: minuteStart + Int64(i * 100), value: 1)
            decisions.append(limiter.admit(key: "k\(i)", t))
        }
        let held = max(0, alerts - cap)
        #expect(decisions.filter { $0 == .send }.count == min(alerts, cap))
        #expect(decisions.filter { $0 == .heldForStorm }.count == held)
        #expect(limiter.drainStormSummary(now: minuteStart + 59_999) == nil)
        let summary = limiter.drainStormSummary(now: minuteStart + 60_000)
        #expect(limiter.drainStormSummary(now: minuteStart + 120_000) == nil)
        guard held > 0 else {
            #expect(summary == nil)
            return
        }
        let s = try #require(summary)
        #expect(s.held == held && s.from == minuteStart && s.to == minuteStart + 60_000)
        let heldCritical = (cap..<alerts).filter { $0 % 5 == 0 }.count
        #expect(s.critical == heldCritical && s.warning == held - heldCritical && s.resolved == 0)
        #expect(s.sampleKeys == (cap..<min(alerts, cap + 10)).map { "k\($0)" })
        #expect(limiter.counters.sent == min(alerts, cap) && limiter.counters.heldForStorm == held)
        // The next minute has a fresh budget; a held firing's resolve is not notified.
        let next = AlertTransition(
            from: .inactive, to: .firing, severity: .warning, previousSeverity: nil, at: minuteStart + 60_000, value: 1)
        #expect(limiter.admit(key: "new", next) == .send)
        let resolve = AlertTransition(
            from: .firing, to: .resolved, severity: nil, previousSeverity: .warning, at: minuteStart + 60_001, value: 0)
        #expect(limiter.admit(key: "k\(alerts - 1)", resolve) == .suppressedDuplicate)
    }

    /// Machine + limiter: a value flapping around the warning threshold with hysteresis notifies
    /// once; without hysteresis it would notify on every crossing (bounded by the cool-down).
    @Test func flappingNotifiesOnceWithHysteresis() {
        let values: [Double] = (0..<60).map { $0 % 2 == 0 ? 101 : 99 }
        func notifications(_ th: AlertThresholds, cooldown: Int64) -> Int {
            var m = AlertStateMachine(thresholds: th)
            var limiter = NotificationLimiter(cooldown: cooldown, maxPerMinute: 1_000)
            var sent = 0
            for (i, v) in values.enumerated() {
                for t in m.observe(v, at: Int64(i) * 10_000) where limiter.admit(key: "k", t) == .send { sent += 1 }
            }
            return sent
        }
        #expect(notifications(AlertThresholds(warning: 100, critical: nil, resolve: 90), cooldown: 0) == 1)
        #expect(notifications(AlertThresholds(warning: 100, critical: nil), cooldown: 0) == 60)
        // 10 min of flapping, 5 min cool-down: fire@0, resolve, re-fire suppressed until 5 min ...
        #expect(notifications(AlertThresholds(warning: 100, critical: nil), cooldown: 300_000) == 4)
    }
}
