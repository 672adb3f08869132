/// Zeroth-order entropy of a workload, split by series kind; figures in bytes per sample are
/// averages over the series weighted by their sample counts.
public struct EntropyReport: Sendable, Equatable {
    /// Bytes per sample of the event (latency) series: timestamps plus values.
    public var events: Double { eventsTimestamp + eventsValue }
    /// Bytes per sample of the regular (gauge and counter) series: timestamps plus values.
    public var regular: Double { regularTimestamp + regularValue }
    /// The timestamp and value parts of `events` and `regular`.
    public var eventsTimestamp: Double
    public var eventsValue: Double
    public var regularTimestamp: Double
    public var regularValue: Double
    /// Samples and series seen per kind.
    public var samplesEvents: Int
    public var samplesRegular: Int
    public var seriesEvents: Int
    public var seriesRegular: Int

    /// Bytes per sample over both kinds.
    public var overall: Double {
        let n = samplesEvents + samplesRegular
        guard n > 0 else { return 0 }
        return (events * Double(samplesEvents) + regular * Double(samplesRegular)) / Double(n)
    }
}

/// Accumulates per-series entropy over a streamed workload with memory bounded per series (the
/// histograms of its distinct delta and value symbols). Samples of a series must come in time order.
public struct EntropyAccumulator: Sendable {
    private var series: [SeriesEntropy] = []
    private var kinds: [SeriesKind?] = []

    public init() {}

    /// Adds one sample of series number `series` (any non-negative index, e.g. a workload's).
    public mutating func add(series index: Int, kind: SeriesKind, timestamp: Int64, value: Double) {
        precondition(index >= 0, "series index must be non-negative")
        if index >= series.count {
            series.append(contentsOf: repeatElement(SeriesEntropy(), count: index + 1 - series.count))
            kinds.append(contentsOf: repeatElement(nil, count: index + 1 - kinds.count))
        }
        kinds[index] = kind
        series[index].add(timestamp: timestamp, value: value)
    }

    /// The sample-weighted entropy per kind.
    public func report() -> EntropyReport {
        var r = EntropyReport(
            eventsTimestamp: 0, eventsValue: 0, regularTimestamp: 0, regularValue: 0,
            samplesEvents: 0, samplesRegular: 0, seriesEvents: 0, seriesRegular: 0)
        for (state, kind) in zip(series, kinds) {
            guard let kind, state.samples > 0 else { continue }
            let n = Double(state.samples)
            switch kind {
            case .event:
                r.eventsTimestamp += state.timestampBytes * n
                r.eventsValue += state.valueBytes * n
                r.samplesEvents += state.samples
                r.seriesEvents += 1
            case .regular:
                r.regularTimestamp += state.timestampBytes * n
                r.regularValue += state.valueBytes * n
                r.samplesRegular += state.samples
                r.seriesRegular += 1
            }
        }
        if r.samplesEvents > 0 {
            r.eventsTimestamp /= Double(r.samplesEvents)
            r.eventsValue /= Double(r.samplesEvents)
        }
        if r.samplesRegular > 0 {
            r.regularTimestamp /= Double(r.samplesRegular)
            r.regularValue /= Double(r.samplesRegular)
        }
        return r
    }
}

extension WorkloadGenerator {
    /// Streams the whole workload through an `EntropyAccumulator`.
    public mutating func entropyReport() -> EntropyReport {
        let kinds = seriesKinds
        var accumulator = EntropyAccumulator()
        forEachColumnBatch(batchSize: 65_536) { series, timestamps, values in
            for i in series.indices {
                let s = Int(series[i])
                accumulator.add(series: s, kind: kinds[s], timestamp: timestamps[i], value: values[i])
            }
        }
        return accumulator.report()
    }
}
