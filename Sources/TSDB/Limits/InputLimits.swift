/// The limits on requests and messages, next to `SampleLimits` (timestamps) and `LabelLimits`
/// (series): one place, so every entry point and every test uses the same numbers.
public enum InputLimits {
    /// Deepest JSON nesting inside an event line (Foundation rejects beyond ~512 too).
    public static let maxJSONDepth = 500
    /// Longest PromQL query, in UTF-8 bytes (Grafana's largest generated queries are a few tens of KiB).
    public static let maxQueryBytes = 256 * 1024
    /// Deepest PromQL expression tree: nested parentheses, calls, unary operators and chains of
    /// binary operators all count, so parsing and evaluation cannot overflow a thread's stack.
    public static let maxQueryDepth = 200
    /// Largest HTTP request body (form-encoded query parameters).
    public static let maxHTTPBodyBytes = 1 << 20
    /// Most points per series in a range query (Prometheus' limit too).
    public static let maxPointsPerSeries: Int64 = 11_000
}
