/// The shape of a generated workload: which fleet, which time range, how busy, which seed.
public struct WorkloadSpec: Sendable, Equatable {
    /// Number of services; the first 20 have distinct names, more repeat them with a suffix.
    public var services: Int = 20
    /// First timestamp of the workload, ms since the Unix epoch.
    public var start: Int64 = WorkloadSpec.defaultStart
    /// Length of the workload in ms; every timestamp lies in `start ..< start + durationMs`.
    public var durationMs: Int64 = 86_400_000
    /// Average requests per second per service (over the fleet and over a day).
    public var requestsPerSecond: Double = 50
    /// Interval of the gauge and counter series, in ms.
    public var gaugeIntervalMs: Int64 = 10_000
    /// Seed of every random choice: same spec, same stream.
    public var seed: UInt64 = 42
    /// Expected simulated process restarts per service and day (counters reset, gauges pause).
    public var restartsPerDay: Double = 1.5

    /// 2025-11-28T00:00:00Z.
    public static let defaultStart: Int64 = 1_764_288_000_000

    public init(
        services: Int = 20, start: Int64 = WorkloadSpec.defaultStart, durationMs: Int64 = 86_400_000,
        requestsPerSecond: Double = 50, gaugeIntervalMs: Int64 = 10_000, seed: UInt64 = 42,
        restartsPerDay: Double = 1.5
    ) {
        precondition(services > 0 && durationMs > 0 && requestsPerSecond >= 0 && gaugeIntervalMs > 0)
        self.services = services
        self.start = start
        self.durationMs = durationMs
        self.requestsPerSecond = requestsPerSecond
        self.gaugeIntervalMs = gaugeIntervalMs
        self.seed = seed
        self.restartsPerDay = restartsPerDay
    }

    /// One day of 20 services at 50 requests/s each: ~86 M latency events and ~1 M gauge samples.
    public static var defaultDay: WorkloadSpec { WorkloadSpec() }

    /// The same workload shortened (or lengthened) to `durationMs`, e.g. ten minutes for a test.
    public func scaled(durationMs: Int64) -> WorkloadSpec {
        var copy = self
        copy.durationMs = durationMs
        return copy
    }

    /// The same workload with another seed.
    public func seeded(_ seed: UInt64) -> WorkloadSpec {
        var copy = self
        copy.seed = seed
        return copy
    }

    /// Rough number of samples the workload emits (for reserving capacity).
    public var approximateSampleCount: Int {
        let seconds = Double(durationMs) / 1000
        let events = Double(services) * requestsPerSecond * seconds
        let gauges = Double(services) * Double(GaugeMetric.allCases.count) * Double(durationMs / gaugeIntervalMs)
        return Int(events + gauges)
    }
}
