import Testing

@testable import TSDB

/// On-disk size against the zeroth-order entropy of the data (see `codecEntropyBits`).
@Suite struct ColumnCodecSizeTests {
    @Test(arguments: [8.0, 20.0])
    func latencyEventsNearEntropy(rate: Double) {
        // One 2 h block at 8 events/s, 1 h at 20/s: enough samples for a fair plug-in entropy.
        let (ts, vs) = CodecSeries.latency(rate: rate, seconds: rate < 10 ? 7200 : 3600, seed: 7)
        let bytes = ColumnCodec.encodeTimestamps(ts).count + ColumnCodec.encodeValues(vs).count
        let perSample = Double(bytes) / Double(ts.count)
        let entropyBytes = codecEntropyBits(timestamps: ts, values: vs) / 8
        #expect(perSample <= 3.2, "\(perSample) B/sample")
        #expect(Double(bytes) <= 1.3 * entropyBytes, "\(bytes) B vs entropy \(entropyBytes) B")
    }

    @Test(arguments: [(false, true), (false, false), (true, false), (true, true)])
    func regularSeriesNearEntropy(counter: Bool, jitter: Bool) {
        var bytes = 0
        var entropyBytes = 0.0
        for seed in UInt64(0)..<10 {
            let (ts, vs) = CodecSeries.regular(counter: counter, jitter: jitter, seed: seed)
            bytes += ColumnCodec.encodeTimestamps(ts).count + ColumnCodec.encodeValues(vs).count
            entropyBytes += codecEntropyBits(timestamps: ts, values: vs) / 8
        }
        // Exact 10 s timestamps have zero entropy; their constant-delta column costs ~11 bytes.
        #expect(Double(bytes) <= 1.3 * entropyBytes + (jitter ? 0 : 10 * 12), "\(bytes) B vs entropy \(entropyBytes) B")
    }
}
