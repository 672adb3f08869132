/// One observation: a timestamp in int64 milliseconds since the Unix epoch and a value.
public struct Sample: Hashable, Sendable {
    public var timestamp: Int64
    public var value: Double

    public init(_ timestamp: Int64, _ value: Double) {
        self.timestamp = timestamp
        self.value = value
    }

}

/// A metric event as it travels through import, export and (later) Kafka:
/// `{"service","type","value","timestamp","tags"}` with the timestamp normalised to ms.
public struct MetricEvent: Sendable, Equatable {
    public var labels: Labels
    public var timestamp: Int64
    public var value: Double

    public init(labels: Labels, timestamp: Int64, value: Double) {
        self.labels = labels
        self.timestamp = timestamp
        self.value = value
    }

    public static func == (a: MetricEvent, b: MetricEvent) -> Bool {
        a.labels == b.labels && a.timestamp == b.timestamp && a.value.bitPattern == b.value.bitPattern
    }
}
