/// Converts a cumulative counter into per-second rates, as the detector sees counters.
public enum CounterRates {
    /// Rate per second between consecutive samples; a decrease is a counter reset (the new value
    /// counts from zero). The first sample has no rate and is dropped, so the result is one shorter.
    public static func perSecond(timestamps: [Int64], cumulative: [Double]) -> [Double] {
        let n = min(timestamps.count, cumulative.count)
        guard n > 1 else { return [] }
        var out = [Double]()
        out.reserveCapacity(n - 1)
        for i in 1..<n {
            let dt = Double(timestamps[i] &- timestamps[i - 1]) / 1000
            let inc = cumulative[i] >= cumulative[i - 1] ? cumulative[i] - cumulative[i - 1] : cumulative[i]
            out.append(dt > 0 ? inc / dt : 0)
        }
        return out
    }
}
