import TSDB

/// Why the consumer rejected (part of) a Kafka message. `reason` is the stable label of
/// `ingest_rejected_total{reason}`, the DLQ record and the quality report.
public enum IngestRejection: Error, Equatable, Sendable, CustomStringConvertible {
    /// A JSON event line failed `EventParser` (0-based `line` inside the message).
    case event(EventParseError, line: Int)
    /// A line-protocol line failed `InfluxLineParser`.
    case lineProtocol(LineProtocolError)
    /// The message holds no event: empty, blank or comment lines only.
    case emptyMessage
    /// The value is NaN or infinite.
    case nonFinite(type: String, value: Double)
    /// The value is outside the range configured for its metric type.
    case outOfRange(type: String, value: Double, min: Double, max: Double)
    /// The event time lies more than `toleranceMs` after the ingest clock.
    case futureTimestamp(timestamp: Int64, now: Int64, toleranceMs: Int64)
    /// The event time lies more than `maxAgeMs` before the ingest clock.
    case tooOld(timestamp: Int64, now: Int64, maxAgeMs: Int64)
    /// The event time lies outside `SampleLimits` (1970-01-01 ..< 2200-01-01), whatever the clock.
    case timestampOutOfRange(timestamp: Int64)

    /// A short machine-friendly label, e.g. "out_of_range".
    public var reason: String {
        switch self {
        case .event(let e, _):
            switch e {
            case .notAnObject, .trailingData, .emptyLine: "invalid_json"
            default: e.reason
            }
        case .lineProtocol(let e):
            switch e.kind {
            case .badTimestamp: "bad_timestamp"
            case .missingService: "missing_field"
            case .labelLimit(let v): v.rejection.rawValue
            default: "line_protocol"
            }
        case .emptyMessage: "empty_message"
        case .nonFinite: "non_finite"
        case .outOfRange: "out_of_range"
        case .futureTimestamp: "future_timestamp"
        case .tooOld: "too_old"
        case .timestampOutOfRange: "timestamp_out_of_range"
        }
    }

    /// A finer label inside `reason` (the parser's own reason), e.g. "unterminated_string".
    public var detail: String {
        switch self {
        case .event(let e, _): e.reason
        case .lineProtocol(let e): e.reason
        default: reason
        }
    }

    /// A human message: what is wrong and where.
    public var description: String {
        switch self {
        case .event(let e, let line): "JSON event, line \(line + 1): \(e)"
        case .lineProtocol(let e): e.description
        case .emptyMessage: "the message holds no event (empty, blank or comment lines only)"
        case .nonFinite(let type, let value): "\(type): value \(value) is not finite"
        case .outOfRange(let type, let value, let min, let max): "\(type): value \(value) is outside [\(min), \(max)]"
        case .futureTimestamp(let ts, let now, let tol):
            "timestamp \(ts) ms is more than \(tol) ms ahead of the ingest clock (\(now) ms); check the producer's clock"
        case .tooOld(let ts, let now, let maxAge):
            "timestamp \(ts) ms is more than \(maxAge) ms older than the ingest clock (\(now) ms)"
        case .timestampOutOfRange(let ts): "timestamp \(ts) ms lies outside \(SampleLimits.timestampRangeText)"
        }
    }
}
