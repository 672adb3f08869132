/// What the consumer loop needs: topics, group, librdkafka properties, batching, the memory bound
/// and where dead letters go. Read from the environment once, with the rest of the service's
/// settings, by `ServiceConfiguration` (MetricsService); see README for the variables.
public struct ConsumerConfig: Sendable, Equatable {
    /// nil: start librdkafka's mock cluster in-process (the embedded default).
    public var kafkaBrokers: String?
    public var metricsTopic = "ingestion_metrics"
    public var apiMetricsTopic = "api_metrics"
    public var groupID = KafkaConfig.defaultGroupID
    /// librdkafka properties: `KAFKA_PROP_<name>` passed through, `bootstrap.servers` and `group.id`.
    public var kafka = KafkaConfig()
    public var batchSize = 1000
    public var flushIntervalSeconds = 10.0
    public var maxMemoryMB = 512
    /// Dead letters to the `<topic>.dlq` topics (file fallback), or to the file only (`DLQ_MODE=file`).
    public var deadLettersToKafka = true

    public init() {}

    public var topics: [String] { [metricsTopic, apiMetricsTopic] }
}
