import CRdKafka

// The only place (with RdKafka+Consumer.swift) that touches librdkafka: it owns the C pointers,
// turns C errors into `KafkaError` and copies bytes out before librdkafka frees them.
// Nothing here is thread-safe; `KafkaProducer`/`KafkaConsumer` serialise access with a lock.
// Every call may block (network round trips), so owners call them off the cooperative pool.

/// Configuration building and error text shared by all librdkafka handles.
enum RdKafka {
    /// `RD_KAFKA_RESP_ERR__QUEUE_FULL`: the producer's local queue is full; poll and retry.
    static let queueFullCode = RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue

    /// Builds an `rd_kafka_conf_t`, naming the first property librdkafka rejects.
    static func makeConf(_ config: KafkaConfig) throws(KafkaError) -> OpaquePointer {
        let conf: OpaquePointer = rd_kafka_conf_new()
        var errstr = [CChar](repeating: 0, count: 512)
        // Sorted so the reported bad property does not depend on dictionary order.
        for (name, value) in config.properties.sorted(by: { $0.key < $1.key }) {
            if rd_kafka_conf_set(conf, name, value, &errstr, errstr.count) != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw .invalidConfig(property: name, reason: string(errstr))
            }
        }
        return conf
    }

    /// Checks a configuration without creating a client.
    static func validate(_ config: KafkaConfig) throws(KafkaError) {
        rd_kafka_conf_destroy(try makeConf(config))
    }

    /// Creates a client handle; librdkafka owns `conf` only when this succeeds.
    static func newHandle(_ type: rd_kafka_type_t, conf: OpaquePointer) throws(KafkaError) -> OpaquePointer {
        var errstr = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(type, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)
            throw .operationFailed(operation: "create client", code: -1, reason: string(errstr))
        }
        return handle
    }

    /// A `KafkaError` for a failed call.
    static func failure(_ operation: String, _ err: rd_kafka_resp_err_t) -> KafkaError {
        .operationFailed(operation: operation, code: err.rawValue, reason: String(cString: rd_kafka_err2str(err)))
    }

    /// Consumes an `rd_kafka_error_t` (nil means success) and throws it.
    static func check(_ operation: String, _ error: OpaquePointer?) throws(KafkaError) {
        guard let error else { return }
        defer { rd_kafka_error_destroy(error) }
        let code = rd_kafka_error_code(error)
        throw .operationFailed(operation: operation, code: code.rawValue, reason: String(cString: rd_kafka_error_string(error)))
    }

    /// Milliseconds for a librdkafka timeout argument, clamped to `Int32`.
    static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let ms = seconds.multipliedReportingOverflow(by: 1000)
        if ms.overflow { return seconds < 0 ? 0 : Int32.max }
        return Int32(clamping: max(0, ms.partialValue &+ attoseconds / 1_000_000_000_000_000))
    }

    /// A Swift string from a NUL-terminated C buffer.
    static func string(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// State reachable from librdkafka callbacks through the opaque pointer.
///
/// Callbacks run inside `rd_kafka_poll`/`rd_kafka_consumer_poll`/`rd_kafka_flush`/close on the
/// caller's thread, i.e. under the owner's lock.
final class RdKafkaCallbacks {
    /// Swift rebalance hook; its result gives start offsets for assigned partitions.
    var rebalance: ((KafkaRebalance) -> [TopicPartition: Int64])?
    /// Errors seen since the owner last drained them.
    var events: [KafkaConsumerEvent] = []
    /// Messages acknowledged by the broker.
    var delivered = 0
    /// Messages that failed permanently.
    var deliveryFailures = 0

    static func from(_ opaque: UnsafeMutableRawPointer?) -> RdKafkaCallbacks? {
        opaque.map { Unmanaged<RdKafkaCallbacks>.fromOpaque($0).takeUnretainedValue() }
    }
}

/// One `rd_kafka_t` handle (producer or consumer) and its callback state.
final class RdKafkaClient {
    let handle: OpaquePointer
    /// Kept alive as long as the handle: librdkafka holds an unretained pointer to it.
    let callbacks: RdKafkaCallbacks
    /// Last topic handle seen with its name, so consuming one topic builds no string per message.
    var topicNameCache: (handle: OpaquePointer, name: String)?

    private init(
        _ type: rd_kafka_type_t, config: KafkaConfig, callbacks: RdKafkaCallbacks,
        setUp: (OpaquePointer) -> Void
    ) throws(KafkaError) {
        let conf = try RdKafka.makeConf(config)
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(callbacks).toOpaque())
        rd_kafka_conf_set_error_cb(conf) { _, err, reason, opaque in
            let text = reason.map { String(cString: $0) } ?? ""
            RdKafkaCallbacks.from(opaque)?.events.append(KafkaConsumerEvent(code: err, reason: text, topicPartition: nil))
        }
        setUp(conf)
        self.callbacks = callbacks
        self.handle = try RdKafka.newHandle(type, conf: conf)
    }

    deinit {
        rd_kafka_destroy(handle)
    }

    /// A producer handle that counts delivery reports.
    static func producer(_ config: KafkaConfig) throws(KafkaError) -> RdKafkaClient {
        try RdKafkaClient(RD_KAFKA_PRODUCER, config: config, callbacks: RdKafkaCallbacks()) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf) { _, message, opaque in
                guard let message, let callbacks = RdKafkaCallbacks.from(opaque) else { return }
                let err = message.pointee.err
                if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    callbacks.delivered += 1
                } else {
                    callbacks.deliveryFailures += 1
                    let reason = String(cString: rd_kafka_err2str(err))
                    callbacks.events.append(KafkaConsumerEvent(code: err.rawValue, reason: reason, topicPartition: nil))
                }
            }
        }
    }

    /// A group consumer handle whose rebalances go through `callbacks.rebalance`.
    static func consumer(_ config: KafkaConfig, callbacks: RdKafkaCallbacks) throws(KafkaError) -> RdKafkaClient {
        let client = try RdKafkaClient(RD_KAFKA_CONSUMER, config: config, callbacks: callbacks) { conf in
            rd_kafka_conf_set_rebalance_cb(conf) { rk, err, partitions, opaque in
                guard let rk, let partitions else { return }
                RdKafkaClient.rebalance(rk, err, partitions, RdKafkaCallbacks.from(opaque))
            }
        }
        // Route errors and callbacks of the main queue through rd_kafka_consumer_poll.
        rd_kafka_poll_set_consumer(client.handle)
        return client
    }

    // MARK: Producer

    /// Enqueues one record (copied); `partition` nil lets the partitioner choose.
    ///
    /// Uses `rd_kafka_produceva` (the non-variadic form) because `rd_kafka_produce` cannot carry headers.
    func produce(topic: String, partition: Int32?, key: [UInt8]?, value: [UInt8], headers: [KafkaHeader]) throws(KafkaError) {
        var hdrs: OpaquePointer?
        if !headers.isEmpty {
            let list: OpaquePointer = rd_kafka_headers_new(headers.count)
            for header in headers {
                withOptionalBytes(header.value) { _ = rd_kafka_header_add(list, header.name, -1, $0?.baseAddress, $0?.count ?? 0) }
            }
            hdrs = list
        }
        let error: OpaquePointer? = topic.withCString { topicName in
            value.withUnsafeBytes { valueBytes in
                withOptionalBytes(key) { keyBytes in
                    var vus = [rd_kafka_vu_t](repeating: rd_kafka_vu_t(), count: 6)
                    vus[0].vtype = RD_KAFKA_VTYPE_TOPIC
                    vus[0].u.cstr = topicName
                    vus[1].vtype = RD_KAFKA_VTYPE_PARTITION
                    vus[1].u.i32 = partition ?? -1  // RD_KAFKA_PARTITION_UA
                    vus[2].vtype = RD_KAFKA_VTYPE_MSGFLAGS
                    vus[2].u.i = RD_KAFKA_MSG_F_COPY
                    vus[3].vtype = RD_KAFKA_VTYPE_VALUE
                    vus[3].u.mem.ptr = UnsafeMutableRawPointer(mutating: valueBytes.baseAddress)
                    vus[3].u.mem.size = valueBytes.count
                    var count = 4
                    if let keyBytes {
                        vus[count].vtype = RD_KAFKA_VTYPE_KEY
                        vus[count].u.mem.ptr = UnsafeMutableRawPointer(mutating: keyBytes.baseAddress)
                        vus[count].u.mem.size = keyBytes.count
                        count += 1
                    }
                    if let hdrs {
                        vus[count].vtype = RD_KAFKA_VTYPE_HEADERS
                        vus[count].u.headers = hdrs
                        count += 1
                    }
                    return rd_kafka_produceva(handle, vus, count)
                }
            }
        }
        if error != nil, let hdrs { rd_kafka_headers_destroy(hdrs) }  // ownership passes only on success
        try RdKafka.check("produce to \(topic)", error)
    }

    /// Serves delivery reports for up to `timeoutMs`; returns how many events were served.
    @discardableResult
    func poll(timeoutMs: Int32) -> Int {
        Int(rd_kafka_poll(handle, timeoutMs))
    }

    /// Waits until every enqueued record is delivered or failed.
    func flush(timeoutMs: Int32) throws(KafkaError) {
        let err = rd_kafka_flush(handle, timeoutMs)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw RdKafka.failure("flush", err) }
    }

    /// Records enqueued but not yet acknowledged.
    var outQueueLength: Int { Int(rd_kafka_outq_len(handle)) }
}

/// Calls `body` with the bytes of `bytes`, or nil.
private func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBytes { body($0) }
}

/// librdkafka's in-process mock cluster, hosted by a dedicated producer handle.
final class RdKafkaMockCluster {
    private let host: OpaquePointer
    private let cluster: OpaquePointer

    init(brokers: Int32) throws(KafkaError) {
        // The host handle never connects anywhere; it only owns the mock brokers' threads.
        let conf = try RdKafka.makeConf(KafkaConfig(["log_level": "3"]))
        host = try RdKafka.newHandle(RD_KAFKA_PRODUCER, conf: conf)
        guard let cluster = rd_kafka_mock_cluster_new(host, brokers) else {
            rd_kafka_destroy(host)
            throw .operationFailed(operation: "start mock cluster", code: -1, reason: "rd_kafka_mock_cluster_new returned NULL")
        }
        self.cluster = cluster
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(host)
    }

    /// `host:port,...` of the mock brokers on loopback.
    var bootstrapServers: String { String(cString: rd_kafka_mock_cluster_bootstraps(cluster)) }

    /// Creates a topic (the mock has no CreateTopics admin API).
    func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32) throws(KafkaError) {
        let err = rd_kafka_mock_topic_create(cluster, name, partitions, replicationFactor)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw RdKafka.failure("create topic \(name)", err) }
    }

    /// Takes broker `id` (-1: all) down or up: connections are refused/closed while down.
    func setBroker(_ id: Int32, up: Bool) throws(KafkaError) {
        let err = up ? rd_kafka_mock_broker_set_up(cluster, id) : rd_kafka_mock_broker_set_down(cluster, id)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw RdKafka.failure("set broker \(id) \(up ? "up" : "down")", err) }
    }

    /// Makes the next requests of API `apiKey` (1 = Fetch) fail with these error codes, in order.
    func pushRequestErrors(apiKey: Int16, _ codes: [Int32]) {
        let errors = codes.map { rd_kafka_resp_err_t(rawValue: $0) }
        errors.withUnsafeBufferPointer { rd_kafka_mock_push_request_errors_array(cluster, apiKey, $0.count, $0.baseAddress) }
    }
}
