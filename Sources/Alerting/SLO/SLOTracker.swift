import Query
import TSDB

/// Computes SLO compliance, error budgets and burn rates from the event series in a `Store`.
///
/// Events are the samples of the series named `spec.metric` with `service = spec.service`.
/// Availability SLOs count per series (a series is all-bad when its labels mark an error), read
/// through `WindowQuery`: counts are exact except for whole rollup buckets at window edges older
/// than raw retention. Latency SLOs count samples <= threshold: from raw samples where raw is
/// retained, else from rollup bucket sketches (`LatencyCounting` documents the error).
/// Every window is [t - length, t), the store's left-closed convention.
public struct SLOTracker: Sendable {
    public let store: Store
    public let options: QueryOptions

    /// A tracker reading `store`.
    public init(store: Store, options: QueryOptions = QueryOptions()) {
        self.store = store
        self.options = options
    }

    /// Total and good events of `spec` in [from, to).
    public func counts(_ spec: SLOSpec, from: Int64, to: Int64) throws(SLOError) -> SLOCounts {
        try spec.validate()
        let series = store.select([.equal(Labels.service, spec.service), .equal(Labels.metricName, spec.metric)])
        var out = SLOCounts(total: 0, good: 0)
        switch spec.objective {
        case .availability:
            let query = WindowQuery(store: store, options: options)
            for info in series {
                let agg: WindowAggregate
                do {
                    agg = try query.aggregate(info.ref, from: from, to: to)
                } catch {
                    throw .store(String(describing: error))
                }
                out.add(SLOCounts(total: agg.count, good: HealthQuery.isError(info.labels) ? 0 : agg.count, exact: !agg.approximateEdges))
            }
        case .latency(let threshold, _):
            let plan = WindowPlan.make(
                from: from, to: to, levels: WindowPlan.Levels(store: store, options: options), strategy: .finestRetained)
            for info in series { out.add(try latencyCounts(info.ref, plan: plan, threshold: threshold)) }
        }
        return out
    }

    /// Compliance and budget of `spec` over [t - period, t).
    public func status(_ spec: SLOSpec, at t: Int64) throws(SLOError) -> SLOStatus {
        SLOStatus(spec: spec, at: t, counts: try counts(spec, from: t &- spec.period, to: t))
    }

    /// Burn rate over [t - window, t); nil without events.
    public func burnRate(_ spec: SLOSpec, window: Int64, at t: Int64) throws(SLOError) -> Double? {
        BurnRateRule.burnRate(try counts(spec, from: t &- window, to: t), target: spec.target)
    }

    /// Every rule's long and short burn rates at `t` (each distinct window read once).
    public func burnRateStatus(_ spec: SLOSpec, at t: Int64, rules: [BurnRateRule] = BurnRateRule.sreWorkbook) throws(SLOError)
        -> BurnRateStatus
    {
        var rates: [Int64: Double?] = [:]
        for window in rules.flatMap({ [$0.longWindow, $0.shortWindow] }) where rates[window] == nil {
            rates[window] = .some(try burnRate(spec, window: window, at: t))
        }
        let conditions = rules.map { rule in
            BurnRateCondition(
                rule: rule, longBurnRate: rates[rule.longWindow] ?? nil, shortBurnRate: rates[rule.shortWindow] ?? nil)
        }
        return BurnRateStatus(sloName: spec.name, at: t, conditions: conditions)
    }

    /// Counts of one series under `threshold` along `plan`.
    private func latencyCounts(_ ref: SeriesRef, plan: WindowPlan, threshold: Double) throws(SLOError) -> SLOCounts {
        var out = SLOCounts(total: 0, good: 0, exact: !plan.approximateEdges)
        do {
            for piece in plan.pieces {
                switch piece.resolution {
                case .raw:
                    let s = try store.samples(ref, from: piece.from, to: piece.to)
                    out.add(SLOCounts(total: Int64(s.count), good: LatencyCounting.good(s.values[...], threshold: threshold)))
                case .rollup(let r):
                    // `rollups` also returns the bucket straddling `from`; the plan counts by start.
                    for b in try store.rollups(ref, resolution: r, from: piece.from, to: piece.to) where b.start >= piece.from {
                        let (good, exact) = LatencyCounting.good(b, threshold: threshold)
                        out.add(SLOCounts(total: b.count, good: good, exact: exact))
                    }
                }
            }
        } catch {
            throw .store(String(describing: error))
        }
        return out
    }
}
