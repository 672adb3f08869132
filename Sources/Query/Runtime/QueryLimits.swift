import TSDB

/// The operator's bounds on queries (`--query-timeout`, `--query-max-samples`,
/// `--query-max-concurrency`; env `QUERY_TIMEOUT`, `QUERY_MAX_SAMPLES`, `QUERY_MAX_CONCURRENCY`).
public struct QueryLimits: Sendable, Equatable {
    /// Longest a query may run (ms); a request's `timeout` parameter can only shorten it.
    public var timeoutMs: Int64 = 120_000
    /// Most raw samples one query may load (Prometheus' `--query.max-samples` default).
    public var maxSamples = 50_000_000
    /// Most series one query may read.
    public var maxSeries = 1_000_000
    /// Queries evaluated at once; more wait in a queue.
    public var maxConcurrency = 4
    /// Queries that may wait; beyond this a request is refused with 503 at once.
    public var maxQueued = 64

    public init() {}

    /// A budget for one query: the server's timeout, or the request's when that is shorter.
    public func budget(requestTimeoutMs: Int64? = nil) -> QueryBudget {
        let timeout = requestTimeoutMs.map { min($0, timeoutMs) } ?? timeoutMs
        return QueryBudget(timeoutMs: timeout, maxSamples: maxSamples, maxSeries: maxSeries)
    }
}

extension QueryLimits {
    /// The limits from their textual settings (flags or environment; nil keeps the default):
    /// the one parser that `tsdb serve` and the service share.
    public init(timeout: String?, maxSamples: String?, maxConcurrency: String?) throws(QueryLimitsError) {
        self.init()
        if let timeout {
            guard let ms = StoreOptions.parseDuration(timeout), ms > 0 else {
                throw QueryLimitsError(setting: "QUERY_TIMEOUT", value: timeout, expected: "a duration such as 30s or 2m (not 0)")
            }
            timeoutMs = ms
        }
        if let maxSamples {
            guard let n = Int(maxSamples), n > 0 else {
                throw QueryLimitsError(setting: "QUERY_MAX_SAMPLES", value: maxSamples, expected: "a positive integer")
            }
            self.maxSamples = n
        }
        if let maxConcurrency {
            guard let n = Int(maxConcurrency), (1...1024).contains(n) else {
                throw QueryLimitsError(setting: "QUERY_MAX_CONCURRENCY", value: maxConcurrency, expected: "an integer in 1...1024")
            }
            self.maxConcurrency = n
        }
    }
}

/// A query limit setting that does not parse.
public struct QueryLimitsError: Error, Sendable, CustomStringConvertible {
    public var setting: String
    public var value: String
    public var expected: String
    public var description: String { "\(setting)=\(value): expected \(expected)" }
}
