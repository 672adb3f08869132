import ArgumentParser
import Query

/// How `tsdb query` and `tsdb serve` read the store.
struct QueryFlags: ParsableArguments {
    @Flag(name: .customLong("raw-only"), help: "Answer from raw samples only, never from rollups.")
    var rawOnly = false

    @Flag(
        name: .customLong("prometheus-windows"),
        help: "Range functions cover Prometheus' (t-range, t] instead of [t-range, t) (docs/QUERY.md).")
    var prometheusWindows = false

    var options: QueryOptions { QueryOptions(rawOnly: rawOnly, prometheusWindows: prometheusWindows) }
}
