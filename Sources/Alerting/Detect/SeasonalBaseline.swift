/// Where the detector gets the expected value at a time of day from previous days.
///
/// The service implements it over the store's 1 h / 1 m rollups; `DailyProfileBaseline` learns it
/// from the stream itself for offline use.
public protocol SeasonalBaseline: Sendable {
    /// Expected mean and stddev at `timestamp` learned from previous days only; nil when unknown.
    func expected(at timestamp: Int64) -> (mean: Double, stddev: Double)?
    /// Feeds a point after it was scored (providers fed elsewhere ignore it).
    mutating func observe(timestamp: Int64, value: Double)
}

/// A seasonal baseline backed by a closure (e.g. a lookup in the store's rollups); it learns nothing.
public struct ClosureSeasonalBaseline: SeasonalBaseline {
    private let lookup: @Sendable (Int64) -> (mean: Double, stddev: Double)?

    /// Wraps `lookup`, which returns the expectation at a timestamp or nil.
    public init(_ lookup: @escaping @Sendable (Int64) -> (mean: Double, stddev: Double)?) {
        self.lookup = lookup
    }

    /// The closure's answer.
    public func expected(at timestamp: Int64) -> (mean: Double, stddev: Double)? { lookup(timestamp) }

    /// Ignored: the closure's source is fed elsewhere.
    public mutating func observe(timestamp: Int64, value: Double) {}
}
