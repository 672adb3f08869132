import Alerting
import TSDB

/// One `capacity:` entry: a metric whose trend is extrapolated to a limit ("days until full").
public struct CapacitySpec: Sendable, Equatable {
    /// Name shown in reports.
    public var name: String
    /// The metric (`__name__`) whose trend is fitted.
    public var metric: String
    /// Only this service's series; nil: every series of the metric.
    public var service: String?
    /// The limit the trend is extrapolated to.
    public var limit: Double
    /// Whether the limit is approached from below (`.above`: rising towards it) or above.
    public var direction: AlertDirection = .above
    /// Window (ms) of history the line is fitted over.
    public var window: Int64 = 7 * StoreOptions.day
    /// What one rollup bucket contributes (`.average` for gauges, `.eventRate` for event series).
    public var measure: TrendEstimator.Measure = .average

    /// A capacity check of `metric` against `limit`.
    public init(
        name: String, metric: String, service: String? = nil, limit: Double, direction: AlertDirection = .above,
        window: Int64 = 7 * StoreOptions.day, measure: TrendEstimator.Measure = .average
    ) {
        self.name = name
        self.metric = metric
        self.service = service
        self.limit = limit
        self.direction = direction
        self.window = window
        self.measure = measure
    }
}
