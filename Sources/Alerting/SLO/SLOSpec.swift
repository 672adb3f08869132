import TSDB

/// A service level objective over the events (requests) of one service.
public struct SLOSpec: Sendable, Equatable {
    /// Which events count as good.
    public enum Objective: Sendable, Equatable {
        /// Good = not an error (status 5xx or error="true"); `target` is the good fraction, e.g. 0.999.
        case availability(target: Double)
        /// Good = latency <= `thresholdMs` (NaN latencies are bad); `target` e.g. 0.99.
        case latency(thresholdMs: Double, target: Double)
    }

    /// Thirty days, the default compliance period.
    public static let defaultPeriod: Int64 = 30 * StoreOptions.day

    public var name: String
    public var service: String
    public var objective: Objective
    /// The compliance period (ms): status at t covers [t - period, t).
    public var period: Int64
    /// The event series the SLO reads (`__name__`), selected together with `service`.
    public var metric: String

    /// An SLO; the period defaults to 30 days and the metric to `api_latency_ms`.
    public init(
        name: String, service: String, objective: Objective, period: Int64 = SLOSpec.defaultPeriod, metric: String = "api_latency_ms"
    ) {
        self.name = name
        self.service = service
        self.objective = objective
        self.period = period
        self.metric = metric
    }

    /// The good fraction the objective asks for.
    public var target: Double {
        switch objective {
        case .availability(let target), .latency(_, let target): target
        }
    }

    /// The allowed bad fraction, 1 - target.
    public var allowedBadFraction: Double { 1 - target }

    /// Checks the target lies in (0, 1), the period is positive and the threshold is a number.
    public func validate() throws(SLOError) {
        guard target > 0, target < 1 else { throw .invalidSpec(name: name, reason: "target \(target) must lie strictly between 0 and 1") }
        guard period > 0 else { throw .invalidSpec(name: name, reason: "period must be positive") }
        if case .latency(let threshold, _) = objective, threshold.isNaN {
            throw .invalidSpec(name: name, reason: "latency threshold is NaN")
        }
        guard !service.isEmpty, !metric.isEmpty else { throw .invalidSpec(name: name, reason: "service and metric must not be empty") }
    }
}

/// Why an SLO could not be evaluated.
public enum SLOError: Error, Sendable, Equatable {
    /// The spec is unusable (what and why).
    case invalidSpec(name: String, reason: String)
    /// Reading the store failed.
    case store(String)
}
