/// Zeroth-order entropy of a series: the size a coder that knows only the symbol frequencies
/// (no context, no model of the data) needs, the bar the storage format is compared against.
///
/// Convention: of n samples the first is ignored and the n - 1 later ones are counted: the
/// timestamp symbols are the deltas `t[i] - t[i-1]`, the value symbols either the values `v[i]`
/// (bit patterns) or the deltas `v[i] - v[i-1]` (bit patterns of the Double difference), whichever
/// has the lower entropy. Entropy is the Shannon entropy of the empirical symbol distribution.
public enum Entropy {
    /// Entropy in bytes per sample: (H(timestamp deltas) + min(H(values), H(value deltas))) / 8,
    /// with H in bits over the n - 1 samples after the first; 0 for fewer than two samples.
    public static func bytesPerSample(timestamps: [Int64], values: [Double]) -> Double {
        precondition(timestamps.count == values.count, "timestamps and values differ in length")
        var series = SeriesEntropy()
        for i in timestamps.indices { series.add(timestamp: timestamps[i], value: values[i]) }
        return series.timestampBytes + series.valueBytes
    }
}

/// Incremental entropy state of one series: the previous sample and three symbol histograms.
struct SeriesEntropy: Sendable {
    private var lastTimestamp: Int64 = 0
    private var lastValue = 0.0
    /// Number of samples added, the first included.
    private(set) var samples = 0
    private var timestampDeltas = SymbolHistogram()
    private var values = SymbolHistogram()
    private var valueDeltas = SymbolHistogram()

    mutating func add(timestamp: Int64, value: Double) {
        if samples > 0 {
            timestampDeltas.add(UInt64(bitPattern: timestamp &- lastTimestamp))
            values.add(value.bitPattern)
            valueDeltas.add((value - lastValue).bitPattern)
        }
        lastTimestamp = timestamp
        lastValue = value
        samples += 1
    }

    /// Bytes per sample for the timestamps (0 below two samples).
    var timestampBytes: Double { timestampDeltas.entropyBits() / 8 }

    /// Bytes per sample for the values: the cheaper of raw values and deltas.
    var valueBytes: Double { min(values.entropyBits(), valueDeltas.entropyBits()) / 8 }
}
