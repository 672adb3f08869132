/// How queries read storage and which window convention range functions use.
public struct QueryOptions: Sendable {
    /// Read raw samples only (exact answers; slow on long windows, empty where raw has expired).
    public var rawOnly = false
    /// Range functions (`rate(x[5m])`, `*_over_time`) at time t cover `[t - range, t)`, the
    /// store's left-closed convention, by default: windows at aligned steps then consist of
    /// whole rollup buckets. With `prometheusWindows` they cover Prometheus' `(t - range, t]`
    /// exactly; the two differ only for samples whose timestamp is exactly on a window edge.
    public var prometheusWindows = false

    public init(rawOnly: Bool = false, prometheusWindows: Bool = false) {
        self.rawOnly = rawOnly
        self.prometheusWindows = prometheusWindows
    }
}
