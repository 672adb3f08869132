/// How durable an acknowledgement is.
public enum FsyncPolicy: String, Sendable, CaseIterable {
    /// The WAL is fdatasync'ed (group commit across concurrent appenders) before `append` returns.
    case always
    /// `append` returns once the record is written to the OS; fsync happens at block cuts and close.
    /// For bulk backfill only: a machine crash (not a process crash) may lose the tail.
    case never
}

/// What retention counts back from (see `Store.retentionReference`).
public enum RetentionClock: String, Sendable {
    /// The clock: a running service, whose data arrives in real time.
    case wallClock
    /// The newest sample not later than the clock plus the future tolerance: historic imports.
    case newestSample
}

/// Everything a store is opened with. Durations in milliseconds; a retention of 0 keeps forever.
public struct StoreOptions: Sendable {
    public static let minute: Int64 = 60_000
    public static let hour: Int64 = 3_600_000
    public static let day: Int64 = 86_400_000

    public var retentionRaw: Int64 = day
    /// Retention per rollup resolution; resolutions not listed keep forever.
    public var rollupRetention: [Int64: Int64] = [minute: 7 * day, hour: 90 * day]
    /// Rollup resolutions, finest first; each must divide `blockDuration` and the next one.
    public var rollupResolutions: [Int64] = [minute, hour]
    /// Span of a raw block (the head is cut when it covers a whole aligned range).
    public var blockDuration: Int64 = 2 * hour
    public var fsync: FsyncPolicy = .always
    /// How far behind a series' newest sample a new sample may be and still be accepted.
    public var outOfOrderWindow: Int64 = hour
    /// Series beyond this count are rejected (`cardinality_limit`); existing ones still accepted.
    public var maxSeries: Int = 1_000_000
    /// The head is cut into a block early when its samples take more memory than this.
    public var maxHeadBytes: Int = 128 << 20
    /// A WAL segment is closed and a new one started beyond this size.
    public var walSegmentBytes: Int = 64 << 20
    /// Metric kinds by metric name; names not listed are inferred (`MetricKind.infer`).
    public var kinds: [String: MetricKind] = [:]
    /// What retention counts back from.
    public var retentionClock: RetentionClock = .newestSample
    /// How far past the clock a sample still counts as the newest for `.newestSample`.
    public var futureTolerance: Int64 = 5 * minute
    /// Milliseconds since the epoch; injectable for tests.
    public var clock: @Sendable () -> Int64 = { SampleLimits.wallClockMs() }

    public init() {}

    public func kind(of metricName: String) -> MetricKind { kinds[metricName] ?? MetricKind.infer(from: metricName) }

    public func retention(forResolution r: Int64) -> Int64 { rollupRetention[r] ?? 0 }

    /// Checks the combination before a store opens with it.
    public func validate() throws(StoreError) {
        func bad(_ s: String) -> StoreError { .invalidOptions(s) }
        guard blockDuration >= StoreOptions.minute, blockDuration <= 31 * StoreOptions.day else {
            throw bad("block duration must be between 1m and 31d")
        }
        guard retentionRaw >= 0, outOfOrderWindow >= 0 else { throw bad("durations must not be negative") }
        guard maxSeries > 0, maxHeadBytes >= 1 << 20, walSegmentBytes >= 1 << 20 else {
            throw bad("maxSeries must be > 0, maxHeadBytes and walSegmentBytes >= 1 MiB")
        }
        var previous: Int64 = 0
        for r in rollupResolutions {
            guard r > 0, StoreOptions.day % r == 0 else { throw bad("rollup resolution \(r) ms must divide one day") }
            guard previous == 0 || r % previous == 0 else { throw bad("rollup resolution \(r) ms must be a multiple of \(previous) ms") }
            previous = r
        }
        if let finest = rollupResolutions.first, blockDuration % finest != 0 {
            throw bad("block duration must be a multiple of the finest rollup resolution")
        }
    }
}

/// Gauge, counter (monotonic, resets handled by rates) or event (one sample per occurrence,
/// latency-like distribution: its rollups carry a quantile sketch).
public enum MetricKind: String, Sendable, CaseIterable {
    case gauge, counter, event

    /// `_total` is a counter, `_ms` / `_seconds` an event, anything else a gauge.
    public static func infer(from name: String) -> MetricKind {
        if name.hasSuffix("_total") { return .counter }
        if name.hasSuffix("_ms") || name.hasSuffix("_seconds") { return .event }
        return .gauge
    }
}
