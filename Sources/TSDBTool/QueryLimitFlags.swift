import ArgumentParser
import Query

/// `--query-timeout`, `--query-max-samples`, `--query-max-concurrency` (each falls back to its
/// environment variable, then to the default of `QueryLimits`).
struct QueryLimitFlags: ParsableArguments {
    @Option(name: .customLong("query-timeout"), help: "Longest a query may run (env QUERY_TIMEOUT; default 2m).")
    var timeout: String?

    @Option(name: .customLong("query-max-samples"), help: "Most samples one query may load (env QUERY_MAX_SAMPLES; default 50000000).")
    var maxSamples: String?

    @Option(
        name: .customLong("query-max-concurrency"),
        help: "Queries evaluated at once, the rest queue (env QUERY_MAX_CONCURRENCY; default 4).")
    var maxConcurrency: String?

    func limits() throws -> QueryLimits {
        do {
            return try QueryLimits(
                timeout: timeout ?? StoreFlags.env("QUERY_TIMEOUT"), maxSamples: maxSamples ?? StoreFlags.env("QUERY_MAX_SAMPLES"),
                maxConcurrency: maxConcurrency ?? StoreFlags.env("QUERY_MAX_CONCURRENCY"))
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
