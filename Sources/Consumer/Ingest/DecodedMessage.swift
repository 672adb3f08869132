import TSDB

/// How a message's payload was read.
public enum MessageFormat: String, Sendable {
    /// JSON event lines (first non-space byte `{`).
    case json
    /// InfluxDB line protocol.
    case lineProtocol = "line_protocol"
    /// Nothing but whitespace.
    case empty
}

/// What one Kafka message decoded to: its events and the rejections of its bad lines.
/// Reusable: `reset()` keeps the arrays' capacity.
public struct DecodedMessage: Sendable {
    public var format: MessageFormat = .empty
    public var events: [MetricEvent] = []
    public var rejections: [IngestRejection] = []
    /// Line-protocol string fields skipped (the store holds numbers only).
    public var skippedStringFields = 0
    /// Line-protocol lines without a timestamp (they got the ingest time).
    public var missingTimestamps = 0

    public init() {}

    /// True when the message yielded at least one event and nothing was rejected.
    public var isClean: Bool { rejections.isEmpty && !events.isEmpty }

    /// Empties the message for reuse, keeping capacity.
    public mutating func reset() {
        format = .empty
        events.removeAll(keepingCapacity: true)
        rejections.removeAll(keepingCapacity: true)
        skippedStringFields = 0
        missingTimestamps = 0
    }
}
