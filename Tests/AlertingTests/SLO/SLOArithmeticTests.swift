import Query
import TSDB
import Testing

@testable import Alerting

@Suite struct SLOArithmeticTests {
    static let spec = SLOSpec(name: "avail", service: "svc", objective: .availability(target: 0.999))

    @Test func budgetOverspent() {
        // 1000 events, 3 bad, 99.9 %: budget 1 event, consumed 300 %, remaining -200 %.
        let s = SLOStatus(spec: Self.spec, at: 0, counts: SLOCounts(total: 1000, good: 997))
        #expect(sloClose(s.compliance, 0.997))
        #expect(sloClose(s.errorBudget, 1))
        #expect(sloClose(s.budgetConsumed, 3))
        #expect(sloClose(s.budgetRemaining, -2))
        #expect(s.meetsObjective == false)
    }

    @Test func budgetPartlySpent() {
        // 20000 events at 99 %: budget 200; 50 bad -> 25 % consumed, 75 % left.
        let spec = SLOSpec(name: "lat", service: "svc", objective: .latency(thresholdMs: 500, target: 0.99))
        let s = SLOStatus(spec: spec, at: 0, counts: SLOCounts(total: 20_000, good: 19_950))
        #expect(sloClose(s.errorBudget, 200))
        #expect(sloClose(s.budgetConsumed, 0.25))
        #expect(sloClose(s.budgetRemaining, 0.75))
        #expect(s.meetsObjective == true)
    }

    @Test func noEventsSpendNothing() {
        let s = SLOStatus(spec: Self.spec, at: 0, counts: SLOCounts(total: 0, good: 0))
        #expect(s.compliance == nil)
        #expect(s.errorBudget == 0)
        #expect(s.budgetConsumed == 0)
        #expect(s.budgetRemaining == 1)
        #expect(s.meetsObjective == nil)
    }

    @Test func burnRateDefinition() {
        // 2 % bad against a 0.1 % allowance burns 20x; no events, no rate.
        #expect(sloClose(BurnRateRule.burnRate(SLOCounts(total: 500, good: 490), target: 0.999), 20))
        #expect(BurnRateRule.burnRate(SLOCounts(total: 0, good: 0), target: 0.999) == nil)
    }

    @Test(arguments: [
        (20.0, 15.0, true), (20.0, 14.4, true), (14.3, 100.0, false), (100.0, 14.3, false),
    ])
    func fastConditionNeedsBothWindows(long: Double, short: Double, holds: Bool) {
        #expect(BurnRateCondition(rule: .fast, longBurnRate: long, shortBurnRate: short).holds == holds)
    }

    @Test func missingWindowNeverHolds() {
        #expect(!BurnRateCondition(rule: .slow, longBurnRate: nil, shortBurnRate: 100).holds)
    }

    @Test func severityIsHighestHolding() {
        let both = BurnRateStatus(
            sloName: "x", at: 0,
            conditions: [
                BurnRateCondition(rule: .fast, longBurnRate: 20, shortBurnRate: 20),
                BurnRateCondition(rule: .slow, longBurnRate: 20, shortBurnRate: 20),
            ])
        #expect(both.severity == .critical)
        let slowOnly = BurnRateStatus(
            sloName: "x", at: 0,
            conditions: [
                BurnRateCondition(rule: .fast, longBurnRate: 10, shortBurnRate: 10),
                BurnRateCondition(rule: .slow, longBurnRate: 10, shortBurnRate: 10),
            ])
        #expect(slowOnly.severity == .warning)
        #expect(slowOnly.condition("fast")?.holds == false)
    }

    @Test(arguments: [0.0, 1.0, -0.5, 1.5, Double.nan])
    func invalidTargetsAreRejected(target: Double) {
        let spec = SLOSpec(name: "bad", service: "svc", objective: .availability(target: target))
        #expect(throws: SLOError.self) { try spec.validate() }
    }

    @Test func planZonesFollowRetention() {
        // Raw from 10:30 (aligned up to 1 m), 1 m rollups from 05:00 (aligned up to 1 h), 1 h before.
        let h: Int64 = 3_600_000
        let m: Int64 = 60_000
        let plan = WindowPlan.make(
            from: 2 * h + 30 * m, to: 12 * h,
            levels: .init(resolutions: [m, h], availableFrom: [10 * h + 30 * m - 1, 4 * h + 1, .min], rawOnly: false),
            strategy: .finestRetained)
        #expect(
            plan.pieces == [
                .init(resolution: .rollup(h), from: 2 * h + 30 * m, to: 5 * h),
                .init(resolution: .rollup(m), from: 5 * h, to: 10 * h + 30 * m),
                .init(resolution: .raw, from: 10 * h + 30 * m, to: 12 * h),
            ])
        #expect(plan.approximateEdges)
        let aligned = WindowPlan.make(
            from: 11 * h, to: 12 * h, levels: .init(resolutions: [m, h], availableFrom: [.min, .min, .min], rawOnly: false),
            strategy: .finestRetained)
        #expect(aligned.pieces == [.init(resolution: .raw, from: 11 * h, to: 12 * h)])
        #expect(!aligned.approximateEdges)
    }
}
