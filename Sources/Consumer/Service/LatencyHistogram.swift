/// A Prometheus-style cumulative latency histogram (milliseconds) with fixed bucket bounds.
public struct LatencyHistogram: Sendable, Equatable {
    /// Upper bounds of the buckets, milliseconds (the `+Inf` bucket is implicit).
    public static let bounds: [Double] = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000]

    /// Observations per bucket (not cumulative), one more than `bounds` for `+Inf`.
    public private(set) var counts = [Int](repeating: 0, count: LatencyHistogram.bounds.count + 1)
    public private(set) var sum = 0.0
    public private(set) var count = 0

    public init() {}

    /// Records one observation.
    public mutating func observe(_ ms: Double) {
        let i = Self.bounds.firstIndex { ms <= $0 } ?? Self.bounds.count
        counts[i] += 1
        sum += ms
        count += 1
    }

    /// Cumulative counts per upper bound (`le`), `+Inf` last, as Prometheus exposes them.
    public var cumulative: [(le: String, count: Int)] {
        var running = 0
        var out: [(String, Int)] = []
        for (i, n) in counts.enumerated() {
            running += n
            out.append((i < Self.bounds.count ? Self.format(Self.bounds[i]) : "+Inf", running))
        }
        return out
    }

    private static func format(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
}
