import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What one query may spend: a deadline, samples loaded from storage and series read. The
/// evaluator checks it as it goes, and `cancel()` (from any thread, e.g. when the client goes
/// away) stops it at the next check. Errors carry Prometheus' wording and error types.
public final class QueryBudget: Sendable {
    /// Monotonic nanoseconds after which the query fails with a timeout (nil: none).
    public let deadline: UInt64?
    public let maxSamples: Int
    public let maxSeries: Int
    private let cancelled = Atomic<Bool>(false)
    private let samples = Atomic<Int>(0)
    private let series = Atomic<Int>(0)

    /// `timeout` in milliseconds (nil: none).
    public init(timeoutMs: Int64? = nil, maxSamples: Int = .max, maxSeries: Int = .max) {
        deadline = timeoutMs.map { QueryBudget.now() &+ UInt64(max(0, $0)) &* 1_000_000 }
        self.maxSamples = maxSamples
        self.maxSeries = maxSeries
    }

    /// No limits (library callers that bound their own queries).
    public static var unlimited: QueryBudget { QueryBudget() }

    public func cancel() { cancelled.store(true, ordering: .relaxed) }
    public var isCancelled: Bool { cancelled.load(ordering: .relaxed) }
    public var samplesLoaded: Int { samples.load(ordering: .relaxed) }

    /// Throws when the query was cancelled or its deadline passed.
    public func check() throws(PromQLError) {
        if isCancelled { throw PromQLError(kind: .canceled, message: "query was canceled in expression evaluation") }
        if let deadline, QueryBudget.now() > deadline {
            throw PromQLError(kind: .timeout, message: "query timed out in expression evaluation")
        }
    }

    /// Counts samples loaded from storage; throws past `maxSamples`.
    public func charge(samples n: Int) throws(PromQLError) {
        let total = samples.add(n, ordering: .relaxed).newValue
        guard total <= maxSamples else {
            throw PromQLError(kind: .execution, message: "query processing would load too many samples into memory in query execution")
        }
    }

    /// Counts a series read; throws past `maxSeries`, and checks the deadline.
    public func chargeSeries() throws(PromQLError) {
        let total = series.add(1, ordering: .relaxed).newValue
        guard total <= maxSeries else {
            throw PromQLError(kind: .execution, message: "query would read more than \(maxSeries) series; narrow its selectors")
        }
        try check()
    }

    /// Monotonic nanoseconds (the clock of `deadline`).
    public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
