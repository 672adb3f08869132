import Consumer
import Query
import QueryHTTP
import TSDB

/// The fuzz harnesses: every parser and decoder that takes untrusted input. `make fuzz` runs
/// each under libFuzzer (`tsdb-fuzz`, built with `--sanitize=fuzzer`); the test suite replays
/// the committed seed corpora (`Fuzz/corpus/<harness>/`) through the same functions.
public enum Harness: String, CaseIterable, Sendable {
    case eventJSON = "event-json"
    case lineProtocol = "line-protocol"
    case walSegment = "wal-segment"
    case storeFiles = "store-files"
    case rollupCodec = "rollup-codec"
    case columnCodec = "column-codec"
    case promql
    case httpParameters = "http-parameters"

    /// Feeds one input to the harness. Any outcome but a trap, hang or leak is fine.
    public func run(_ input: UnsafeRawBufferPointer) {
        switch self {
        case .eventJSON:
            let parser = EventParser(labelCacheLimit: 64)
            for line in input.split(separator: 0x0A, omittingEmptySubsequences: false) {
                _ = try? parser.parse(UnsafeRawBufferPointer(rebasing: line))
            }
        case .lineProtocol:
            let parser = InfluxLineParser(labelCacheLimit: 64)
            var events: [MetricEvent] = []
            for line in input.split(separator: 0x0A, omittingEmptySubsequences: false) {
                _ = try? parser.parseLine(
                    UnsafeRawBufferPointer(rebasing: line), fallbackService: "fuzz", defaultTimestamp: 1_700_000_000_000, into: &events)
            }
        case .walSegment:
            _ = DecoderEntryPoints.walSegment(input)
        case .storeFiles:
            guard let kind = input.first else { return }
            _ = DecoderEntryPoints.sealedFile(kind: kind, body: UnsafeRawBufferPointer(rebasing: input.dropFirst()))
        case .rollupCodec, .columnCodec:
            guard input.count >= 2 else { return }
            let count = Int(input[0]) << 8 | Int(input[1])
            let body = UnsafeRawBufferPointer(rebasing: input.dropFirst(2))
            _ = self == .rollupCodec ? DecoderEntryPoints.rollupBuckets(body, count: count) : DecoderEntryPoints.columns(body, count: count)
        case .promql:
            _ = try? PromQLEngine.validate(String(decoding: input, as: UTF8.self))
        case .httpParameters:
            let p = FormParameters(encoded: input)
            for (_, value) in p.pairs {
                _ = PromTime.parseTime(value, now: 1_700_000_000_000)
                _ = PromTime.parseDuration(value)
                _ = try? SeriesSelector.parse(value)
            }
        }
    }
}
