import Foundation

/// librdkafka's in-process mock Kafka cluster on loopback, for tests and local runs.
///
/// Supports produce, fetch, consumer groups and commits; topics must be created with
/// `createTopic` (there is no CreateTopics admin API). Stop it after closing its clients.
public final class MockKafkaCluster: @unchecked Sendable {
    private let lock = NSLock()
    private var cluster: RdKafkaMockCluster?
    /// `host:port,...` to use as `bootstrap.servers`.
    public let bootstrapServers: String

    /// Starts `brokers` mock brokers.
    public init(brokers: Int32 = 1) throws(KafkaError) {
        let cluster = try RdKafkaMockCluster(brokers: brokers)
        self.cluster = cluster
        bootstrapServers = cluster.bootstrapServers
    }

    /// Creates a topic with `partitions` partitions.
    public func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32 = 1) throws(KafkaError) {
        lock.lock()
        defer { lock.unlock() }
        guard let cluster else { throw .operationFailed(operation: "create topic \(name)", code: -1, reason: "mock cluster stopped") }
        try cluster.createTopic(name, partitions: partitions, replicationFactor: replicationFactor)
    }

    /// Takes broker `id` down (connections refused) or back up; -1: every broker. For outage tests.
    public func setBroker(_ id: Int32 = -1, up: Bool) throws(KafkaError) {
        lock.lock()
        defer { lock.unlock() }
        try cluster?.setBroker(id, up: up)
    }

    /// Makes the next `codes.count` requests of API `apiKey` fail with these Kafka error codes
    /// (e.g. Fetch = 1 with OFFSET_OUT_OF_RANGE = 1). For recovery tests.
    public func failNextRequests(apiKey: Int16, with codes: [Int32]) {
        lock.withLock { cluster?.pushRequestErrors(apiKey: apiKey, codes) }
    }

    /// Stops the brokers (also done on deinit); idempotent.
    public func stop() {
        lock.withLock { cluster = nil }
    }
}
