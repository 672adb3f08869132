import TSDB

/// One element of an instant vector: a series and its value at time `t` (ms).
public struct InstantSample: Sendable, Equatable {
    public var labels: Labels
    public var t: Int64
    public var v: Double

    public init(labels: Labels, t: Int64, v: Double) {
        self.labels = labels
        self.t = t
        self.v = v
    }
}

/// One point of a range series.
public struct RangePoint: Sendable, Equatable {
    public var t: Int64
    public var v: Double

    public init(t: Int64, v: Double) {
        self.t = t
        self.v = v
    }
}

/// One series of a matrix: its labels and points in time order.
public struct RangeSeries: Sendable, Equatable {
    public var labels: Labels
    public var points: [RangePoint]

    public init(labels: Labels, points: [RangePoint]) {
        self.labels = labels
        self.points = points
    }
}

/// The result of a PromQL query, typed as in the Prometheus HTTP API.
public enum QueryValue: Sendable {
    case scalar(t: Int64, v: Double)
    case vector([InstantSample])
    case matrix([RangeSeries])
    case string(t: Int64, v: String)
}

/// What answering a query read: resolutions used, worst quantile error, distinct series read.
public struct QueryStats: Sendable, Equatable {
    public var resolutions: Set<Resolution>
    /// Largest relative error of any quantile in the answer (0 when exact).
    public var quantileErrorBound: Double
    public var seriesRead: Int

    public init(resolutions: Set<Resolution> = [], quantileErrorBound: Double = 0, seriesRead: Int = 0) {
        self.resolutions = resolutions
        self.quantileErrorBound = quantileErrorBound
        self.seriesRead = seriesRead
    }
}
