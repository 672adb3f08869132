import Testing

@testable import Alerting

/// `t:from>to:severity` for compact expected tables.
func describeTransition(_ t: AlertTransition) -> String {
    "\(t.at):\(t.from.rawValue)>\(t.to.rawValue):\(t.severity?.rawValue ?? "-")"
}

/// Feeds `(time, value)` pairs and returns every transition, described.
func runMachine(_ thresholds: AlertThresholds, _ points: [(Int64, Double?)]) -> [String] {
    var m = AlertStateMachine(thresholds: thresholds)
    return points.flatMap { m.observe($0.1, at: $0.0) }.map(describeTransition)
}

/// Points at 0, 10_000, 20_000, ... ms.
func every10s(_ values: [Double?]) -> [(Int64, Double?)] {
    values.enumerated().map { (Int64($0.offset) * 10_000, $0.element) }
}

struct MachineCase: Sendable, CustomStringConvertible {
    var description: String
    var thresholds: AlertThresholds
    var values: [Double?]
    var expected: [String]
}

@Suite struct AlertStateMachineTests {
    static let hysteresis = AlertThresholds(warning: 100, critical: 200, resolve: 80)

    static let cases: [MachineCase] = [
        MachineCase(
            description: "flapping around the warning threshold stays firing inside the hysteresis band",
            thresholds: hysteresis,
            values: [90, 110, 95, 105, 99, 101, 81, 79, 85, 101],
            expected: ["10000:inactive>firing:warning", "70000:firing>resolved:-", "90000:resolved>firing:warning"]),
        MachineCase(
            description: "without a resolve threshold every dip below warning resolves",
            thresholds: AlertThresholds(warning: 100, critical: nil),
            values: [110, 99, 101, 100],
            expected: ["0:inactive>firing:warning", "10000:firing>resolved:-", "20000:resolved>firing:warning"]),
        MachineCase(
            description: "escalation and de-escalation while firing",
            thresholds: hysteresis,
            values: [150, 250, 260, 150, 90, 250, 90, 50],
            expected: [
                "0:inactive>firing:warning", "10000:firing>firing:critical", "30000:firing>firing:warning",
                "50000:firing>firing:critical", "60000:firing>firing:warning", "70000:firing>resolved:-",
            ]),
        MachineCase(
            description: "exactly at a threshold is not past it",
            thresholds: hysteresis,
            values: [100, 200, 80],
            expected: ["10000:inactive>firing:warning"]),
        MachineCase(
            description: "for: 30s of breach before firing",
            thresholds: AlertThresholds(warning: 100, critical: 200, forDuration: 30_000),
            values: [110, 120, 250, 130, 140, 90],
            expected: ["0:inactive>pending:warning", "30000:pending>firing:warning", "50000:firing>resolved:-"]),
        MachineCase(
            description: "pending that stops breaching returns to inactive, then starts over",
            thresholds: AlertThresholds(warning: 100, critical: 200, forDuration: 20_000),
            values: [110, 90, 110, 110, 90, 110, 110, 110],
            expected: [
                "0:inactive>pending:warning", "10000:pending>inactive:-", "20000:inactive>pending:warning",
                "40000:pending>inactive:-", "50000:inactive>pending:warning", "70000:pending>firing:warning",
            ]),
        MachineCase(
            description: "pending fires at the severity current when the for-duration ends",
            thresholds: AlertThresholds(warning: 100, critical: 200, forDuration: 20_000),
            values: [110, 300, 300],
            expected: ["0:inactive>pending:warning", "20000:pending>firing:critical"]),
        MachineCase(
            description: "no data keeps state: pending never fires on nil, firing never resolves on nil",
            thresholds: AlertThresholds(warning: 100, critical: nil, forDuration: 20_000),
            values: [110, nil, nil, nil, 110, nil, .nan, nil, 50],
            expected: ["0:inactive>pending:warning", "40000:pending>firing:warning", "80000:firing>resolved:-"]),
        MachineCase(
            description: "direction below with hysteresis (availability)",
            thresholds: AlertThresholds(direction: .below, warning: 0.99, critical: 0.95, resolve: 0.995),
            values: [1, 0.98, 0.993, 0.9, 0.97, 0.996],
            expected: [
                "10000:inactive>firing:warning", "30000:firing>firing:critical", "40000:firing>firing:warning",
                "50000:firing>resolved:-",
            ]),
        MachineCase(
            description: "critical only: the band below critical keeps critical",
            thresholds: AlertThresholds(warning: nil, critical: 10, resolve: 5),
            values: [11, 7, 4],
            expected: ["0:inactive>firing:critical", "20000:firing>resolved:-"]),
        MachineCase(
            description: "no thresholds never breach",
            thresholds: AlertThresholds(warning: nil, critical: nil),
            values: [1e300, -1e300, .infinity],
            expected: []),
    ]

    @Test(arguments: cases) func table(_ c: MachineCase) {
        #expect(runMachine(c.thresholds, every10s(c.values)) == c.expected)
    }

    @Test func previousSeverityAndValueAreReported() {
        var m = AlertStateMachine(thresholds: Self.hysteresis)
        _ = m.observe(150, at: 0)
        let up = m.observe(250, at: 1)
        #expect(up == [AlertTransition(from: .firing, to: .firing, severity: .critical, previousSeverity: .warning, at: 1, value: 250)])
        let down = m.observe(10, at: 2)
        #expect(down == [AlertTransition(from: .firing, to: .resolved, severity: nil, previousSeverity: .critical, at: 2, value: 10)])
        #expect(m.phase == .resolved && m.severity == nil && m.breachSince == nil)
    }

    /// Brute-force check of the invariants over random walks: severity is nil exactly when not
    /// pending/firing, firing implies the breach lasted forDuration, transitions chain up.
    @Test(arguments: [1, 2, 3] as [UInt64]) func randomWalkInvariants(seed: UInt64) {
        var rng = RulesTestRNG(seed: seed)
        let th = AlertThresholds(warning: 100, critical: 150, resolve: 90, forDuration: 30_000)
        var m = AlertStateMachine(thresholds: th)
        var v = 100.0
        var last: AlertPhase = .inactive
        for i in 0..<2_000 {
            v += Double(rng.next() % 21) - 10
            let t = Int64(i) * 10_000
            let value: Double? = rng.next() % 10 == 0 ? nil : v
            for tr in m.observe(value, at: t) {
                #expect(tr.from == last)
                last = tr.to
                if tr.to == .firing, let since = m.breachSince { #expect(t - since >= th.forDuration) }
                if tr.to == .resolved, let x = value { #expect(x < 90) }
            }
            #expect((m.severity != nil) == (m.phase == .pending || m.phase == .firing))
        }
    }
}
