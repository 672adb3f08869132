import TSDB

/// Evaluates PromQL instant and range queries against a `Store`.
public struct PromQLEngine: Sendable {
    /// Prometheus' limit on points per series in a range query.
    public static let maxPointsPerSeries = InputLimits.maxPointsPerSeries

    public let store: Store
    public let options: QueryOptions
    /// How far back an instant selector looks for the latest sample (Prometheus: 5 minutes).
    public let lookbackDelta: Int64

    public init(store: Store, options: QueryOptions = QueryOptions(), lookbackDelta: Int64 = 300_000) {
        self.store = store
        self.options = options
        self.lookbackDelta = lookbackDelta
    }

    /// Query times beyond about +-140,000 years are refused, so window arithmetic cannot overflow.
    static let timeLimit: Int64 = 1 << 52

    private static func checkTime(_ t: Int64) throws(PromQLError) {
        guard t.magnitude <= timeLimit.magnitude else { throw PromQLError(kind: .parse, message: "time \(t) out of range") }
    }

    /// Parses `query` without evaluating it (config files check their expressions when loaded).
    public static func validate(_ query: String) throws(PromQLError) {
        _ = try Parser.parse(query)
    }

    /// Evaluates `query` at `time` (ms).
    public func instant(_ query: String, at time: Int64, budget: QueryBudget = .unlimited) throws(PromQLError) -> (QueryValue, QueryStats) {
        try Self.checkTime(time)
        let expr = try Parser.parse(query)
        var ev = Evaluator(store: store, options: options, lookback: lookbackDelta, start: time, step: 1, steps: 1, budget: budget)
        let value: QueryValue
        switch try ev.eval(expr) {
        case .scalar(let v): value = .scalar(t: time, v: v[0])
        case .string(let s): value = .string(t: time, v: s)
        case .matrix(let m): value = .matrix(m.sorted { $0.labels < $1.labels })
        case .vector(let series):
            value = .vector(
                series.compactMap { s in s.values[0].map { InstantSample(labels: s.labels, t: time, v: $0) } }
                    .sorted { $0.labels < $1.labels })
        }
        return (value, ev.stats)
    }

    /// Evaluates `query` at `start`, `start + step`, ... `<= end` (ms); the answer is a matrix.
    public func range(
        _ query: String, start: Int64, end: Int64, step: Int64, budget: QueryBudget = .unlimited
    ) throws(PromQLError) -> (QueryValue, QueryStats) {
        guard step > 0 else {
            throw PromQLError(
                kind: .parse, message: "zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        try Self.checkTime(start)
        try Self.checkTime(end)
        guard end >= start else { throw PromQLError(kind: .parse, message: "end timestamp must not be before start time") }
        let (span, overflow) = end.subtractingReportingOverflow(start)
        guard !overflow, span / step < Self.maxPointsPerSeries else {
            throw PromQLError(
                kind: .parse,
                message: "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        }
        let expr = try Parser.parse(query)
        guard expr.type == .scalar || expr.type == .vector else {
            throw PromQLError(
                kind: .parse, message: "invalid expression type \"\(expr.type.rawValue)\" for range query, must be Scalar or instant Vector"
            )
        }
        let steps = Int(span / step) + 1
        var ev = Evaluator(store: store, options: options, lookback: lookbackDelta, start: start, step: step, steps: steps, budget: budget)
        let series: [StepSeries]
        switch try ev.eval(expr) {
        case .scalar(let v): series = [StepSeries(labels: Labels([Label]()), values: v.map { $0 })]
        case .vector(let s): series = s
        case .matrix, .string: throw .execution("range query must yield a scalar or instant vector")
        }
        let matrix = series.compactMap { s -> RangeSeries? in
            let points = s.values.indices.compactMap { i in s.values[i].map { RangePoint(t: ev.time(i), v: $0) } }
            return points.isEmpty ? nil : RangeSeries(labels: s.labels, points: points)
        }
        return (.matrix(matrix.sorted { $0.labels < $1.labels }), ev.stats)
    }
}
