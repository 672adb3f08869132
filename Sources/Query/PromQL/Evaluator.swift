import TSDB

/// Evaluates an `Expr` at every step `start + i * step` (i < steps) at once, so that range
/// functions over selectors read storage once per series for the whole query.
struct Evaluator {
    let store: Store
    let window: WindowQuery
    let options: QueryOptions
    let lookback: Int64
    let start: Int64, step: Int64, steps: Int
    /// Samples at or after this time are still raw; older ones only live in rollups.
    let rawHorizon: Int64
    private(set) var resolutions: Set<Resolution> = []
    private(set) var quantileErrorBound = 0.0
    private(set) var seriesRead: Set<SeriesRef> = []
    /// Deadline, cancellation and sample/series caps of this query.
    let budget: QueryBudget

    init(
        store: Store, options: QueryOptions, lookback: Int64, start: Int64, step: Int64, steps: Int,
        budget: QueryBudget = .unlimited
    ) {
        self.budget = budget
        self.store = store
        self.window = WindowQuery(store: store, options: options)
        self.options = options
        self.lookback = lookback
        self.start = start
        self.step = step
        self.steps = steps
        let retention = store.options.retentionRaw
        if options.rawOnly || retention <= 0 {
            rawHorizon = .min
        } else {
            rawHorizon = (store.retentionReference ?? .min) &- retention
        }
    }

    var stats: QueryStats {
        QueryStats(resolutions: resolutions, quantileErrorBound: quantileErrorBound, seriesRead: seriesRead.count)
    }

    func time(_ i: Int) -> Int64 { start + Int64(i) * step }
    var end: Int64 { time(steps - 1) }

    /// Runs a storage read, turning its error into an execution error.
    /// Raw samples read count against the budget's `maxSamples`.
    func read<T>(_ body: () throws -> T) throws(PromQLError) -> T {
        let value: T
        do { value = try body() } catch { throw .execution("reading storage: \(error)") }
        if let columns = value as? SampleColumns { try budget.charge(samples: columns.count) }
        return value
    }

    mutating func noteRead(_ ref: SeriesRef, _ r: Set<Resolution>) throws(PromQLError) {
        try budget.chargeSeries()
        seriesRead.insert(ref)
        resolutions.formUnion(r)
    }

    mutating func noteQuantileError(_ bound: Double) { quantileErrorBound = max(quantileErrorBound, bound) }

    /// Evaluates `e`, checking the budget's deadline and cancellation at every node.
    mutating func eval(_ e: Expr) throws(PromQLError) -> StepValue {
        try budget.check()
        return try evalNode(e)
    }

    private mutating func evalNode(_ e: Expr) throws(PromQLError) -> StepValue {
        switch e {
        case .number(let v): return .scalar(Array(repeating: v, count: steps))
        case .string(let s): return .string(s)
        case .paren(let inner): return try eval(inner)
        case .negate(let inner):
            switch try eval(inner) {
            case .scalar(let v): return .scalar(v.map { -$0 })
            case .vector(let s):
                return .vector(s.map { StepSeries(labels: $0.labels.droppingName, values: $0.values.map { $0.map { -$0 } }) })
            default: throw .execution("unary minus on a non-numeric value")
            }
        case .selector(let sel):
            return sel.range == nil ? .vector(try instantSelector(sel)) : .matrix(try rawMatrix(sel))
        case .binary(let op, let lhs, let rhs, let returnBool):
            return try binary(op, try eval(lhs), try eval(rhs), returnBool: returnBool)
        case .call(let name, let args): return try call(name, args)
        case .aggregate(let op, let param, let expr, let grouping, let without):
            return try aggregate(op, param: param, expr, grouping: grouping, without: without)
        }
    }

    /// Latest sample in (t - lookback, t] per series and step, shifted by the offset.
    mutating func instantSelector(_ sel: VectorSelector) throws(PromQLError) -> [StepSeries] {
        var out: [StepSeries] = []
        let from = start - sel.offset - lookback + 1
        let to = end - sel.offset + 1
        for info in store.select(sel.matchers) {
            var values = [Double?](repeating: nil, count: steps)
            if from >= rawHorizon {
                let cols = try read { try window.samples(info.ref, from: from, to: to) }
                try noteRead(info.ref, [.raw])
                var j = 0
                for i in 0..<steps {
                    let t = time(i) - sel.offset
                    while j < cols.count && cols.timestamps[j] <= t { j += 1 }
                    if j > 0 && cols.timestamps[j - 1] > t - lookback { values[i] = cols.values[j - 1] }
                }
            } else {
                // Past raw retention: the last value of each lookback window comes from rollups.
                let aggs = try stepped(info.ref, offset: sel.offset, range: lookback)
                for (i, a) in aggs.enumerated() where a.count > 0 { values[i] = a.last }
            }
            if values.contains(where: { $0 != nil }) { out.append(StepSeries(labels: info.labels, values: values)) }
        }
        return out
    }

    /// How far the store's `[from, to)` window is shifted from `[t - range, t)`: 1 ms for
    /// Prometheus' `(t - range, t]` (`QueryOptions.prometheusWindows`), else 0.
    var windowShift: Int64 { window.options.prometheusWindows ? 1 : 0 }

    /// One aggregate per step over the window ending at t - offset, read once when there are many steps.
    mutating func stepped(_ ref: SeriesRef, offset: Int64, range: Int64, needsQuantile: Bool = false) throws(PromQLError)
        -> [WindowAggregate]
    {
        let aggs: [WindowAggregate]
        let shift = windowShift
        if steps == 1 {
            let t = start - offset
            aggs = [try read { try window.aggregate(ref, from: t - range + shift, to: t + shift, needsQuantile: needsQuantile) }]
        } else {
            aggs = try read {
                try window.stepped(
                    ref, start: start - offset + shift, end: end - offset + shift, step: step, range: range, needsQuantile: needsQuantile)
            }
        }
        var r: Set<Resolution> = []
        for a in aggs { r.formUnion(a.resolutions) }
        try noteRead(ref, r)
        guard aggs.count == steps else { throw .execution("window query returned \(aggs.count) windows for \(steps) steps") }
        return aggs
    }

    /// Raw samples of a range selector at the (single) query time.
    mutating func rawMatrix(_ sel: VectorSelector) throws(PromQLError) -> [RangeSeries] {
        let range = sel.range ?? 0
        let t = end - sel.offset
        var out: [RangeSeries] = []
        for info in store.select(sel.matchers) {
            let cols = try read { try window.samples(info.ref, from: t - range + windowShift, to: t + windowShift) }
            try noteRead(info.ref, [.raw])
            if cols.count == 0 { continue }
            let points = (0..<cols.count).map { RangePoint(t: cols.timestamps[$0], v: cols.values[$0]) }
            out.append(RangeSeries(labels: info.labels, points: points))
        }
        return out
    }
}
