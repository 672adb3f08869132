import CRdKafka

// Group-consumer calls on `RdKafkaClient`: the rebalance callback, polling and copying records,
// offsets (commit, seek, position, watermarks) and flow control.

/// `RD_KAFKA_OFFSET_INVALID`: "no explicit offset", i.e. use the committed offset or `auto.offset.reset`.
let rdKafkaOffsetInvalid = Int64(RD_KAFKA_OFFSET_INVALID)

extension RdKafkaClient {
    // MARK: Rebalance

    /// The C rebalance callback's body: asks Swift for offsets, then (un)assigns.
    static func rebalance(
        _ rk: OpaquePointer, _ err: rd_kafka_resp_err_t,
        _ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>,
        _ callbacks: RdKafkaCallbacks?
    ) {
        let cooperative = rd_kafka_rebalance_protocol(rk).map { String(cString: $0) == "COOPERATIVE" } ?? false
        let partitions = entries(list).map(\.partition)
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            let offsets = callbacks?.rebalance?(.assigned(partitions)) ?? [:]
            for (index, partition) in partitions.enumerated() {
                list.pointee.elems[index].offset = offsets[partition] ?? rdKafkaOffsetInvalid
            }
            if cooperative {
                record(callbacks, "incremental assign", rd_kafka_incremental_assign(rk, list))
            } else {
                record(callbacks, "assign", rd_kafka_assign(rk, list))
            }
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            _ = callbacks?.rebalance?(.revoked(partitions))
            if cooperative {
                record(callbacks, "incremental unassign", rd_kafka_incremental_unassign(rk, list))
            } else {
                record(callbacks, "unassign", rd_kafka_assign(rk, nil))
            }
        default:
            callbacks?.events.append(
                KafkaConsumerEvent(code: err.rawValue, reason: String(cString: rd_kafka_err2str(err)), topicPartition: nil))
            record(callbacks, "unassign", rd_kafka_assign(rk, nil))
        }
    }

    private static func record(_ callbacks: RdKafkaCallbacks?, _ operation: String, _ err: rd_kafka_resp_err_t) {
        guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { return }
        let reason = "\(operation): " + String(cString: rd_kafka_err2str(err))
        callbacks?.events.append(KafkaConsumerEvent(code: err.rawValue, reason: reason, topicPartition: nil))
    }

    private static func record(_ callbacks: RdKafkaCallbacks?, _ operation: String, _ error: OpaquePointer?) {
        do { try RdKafka.check(operation, error) } catch {
            if case .operationFailed(_, let code, let reason) = error {
                callbacks?.events.append(KafkaConsumerEvent(code: code, reason: "\(operation): \(reason)", topicPartition: nil))
            }
        }
    }

    // MARK: Subscription and polling

    /// Joins the group for these topics; partitions arrive through the rebalance callback.
    func subscribe(_ topics: [String]) throws(KafkaError) {
        let list = Self.makeList(topics.map { (TopicPartition(topic: $0, partition: -1), rdKafkaOffsetInvalid) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = rd_kafka_subscribe(handle, list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw RdKafka.failure("subscribe", err) }
    }

    /// Polls until `maxMessages` records or `timeoutMs` elapse; returns early once the local queue is empty.
    ///
    /// Partition EOF is skipped; other errors are appended to `callbacks.events`.
    func consume(maxMessages: Int, timeoutMs: Int32) -> [KafkaMessage] {
        var messages: [KafkaMessage] = []
        messages.reserveCapacity(min(maxMessages, 1024))
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .milliseconds(timeoutMs))
        while messages.count < maxMessages {
            // Block only while nothing has arrived; afterwards drain what is already fetched.
            let wait = messages.isEmpty ? RdKafka.milliseconds(clock.now.duration(to: deadline)) : 0
            guard let message = rd_kafka_consumer_poll(handle, wait) else {
                if !messages.isEmpty || clock.now >= deadline { break }
                continue
            }
            defer { rd_kafka_message_destroy(message) }
            let err = message.pointee.err
            if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                messages.append(copy(message))
            } else if err != RD_KAFKA_RESP_ERR__PARTITION_EOF {
                let tp = message.pointee.rkt.map { TopicPartition(topic: topicName($0), partition: message.pointee.partition) }
                callbacks.events.append(
                    KafkaConsumerEvent(code: err.rawValue, reason: String(cString: rd_kafka_message_errstr(message)), topicPartition: tp))
            }
        }
        return messages
    }

    private func topicName(_ topic: OpaquePointer) -> String {
        if let cached = topicNameCache, cached.handle == topic { return cached.name }
        let name = String(cString: rd_kafka_topic_name(topic))
        topicNameCache = (topic, name)
        return name
    }

    private func copy(_ message: UnsafeMutablePointer<rd_kafka_message_t>) -> KafkaMessage {
        let m = message.pointee
        let value = m.payload.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: m.len)) } ?? []
        let key = m.key.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: m.key_len)) }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &timestampType)
        var headers: [KafkaHeader] = []
        var list: OpaquePointer?
        if rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list {
            var index = 0
            var name: UnsafePointer<CChar>?
            var bytes: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(list, index, &name, &bytes, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                let headerValue = bytes.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: size)) }
                headers.append(KafkaHeader(name: name.map { String(cString: $0) } ?? "", value: headerValue))
                index += 1
            }
        }
        return KafkaMessage(
            topicPartition: TopicPartition(topic: m.rkt.map(topicName) ?? "", partition: m.partition),
            offset: m.offset, key: key, value: value, headers: headers,
            timestampMs: timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp)
    }

    /// Leaves the group (serving the final revoke through the rebalance callback).
    func closeConsumer() throws(KafkaError) {
        let err = rd_kafka_consumer_close(handle)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw RdKafka.failure("close", err) }
    }

    // MARK: Offsets

    /// Commits these next-to-consume offsets for the group; `asynchronous` returns at once
    /// (the result arrives with a later poll).
    func commit(_ offsets: [TopicPartition: Int64], asynchronous: Bool = false) throws(KafkaError) {
        try withList(offsets.map { ($0.key, $0.value) }, "commit") { list in rd_kafka_commit(handle, list, asynchronous ? 1 : 0) }
    }

    /// The group's committed offsets (nil where none), asking the coordinator.
    func committed(_ partitions: [TopicPartition], timeoutMs: Int32) throws(KafkaError) -> [TopicPartition: Int64?] {
        try offsets(partitions, "committed") { list in rd_kafka_committed(handle, list, timeoutMs) }
    }

    /// The next offset the consumer will fetch per partition (nil before the first record).
    func position(_ partitions: [TopicPartition]) throws(KafkaError) -> [TopicPartition: Int64?] {
        try offsets(partitions, "position") { list in rd_kafka_position(handle, list) }
    }

    /// Moves the fetch position of an assigned partition.
    func seek(_ partition: TopicPartition, offset: Int64, timeoutMs: Int32) throws(KafkaError) {
        let list = Self.makeList([(partition, offset)])
        defer { rd_kafka_topic_partition_list_destroy(list) }
        try RdKafka.check("seek \(partition)", rd_kafka_seek_partitions(handle, list, timeoutMs))
        try Self.checkEntries(list, "seek")
    }

    /// Low and high watermarks of one partition, asking its leader.
    func watermarks(_ partition: TopicPartition, timeoutMs: Int32) throws(KafkaError) -> (low: Int64, high: Int64) {
        var low: Int64 = 0
        var high: Int64 = 0
        let err = rd_kafka_query_watermark_offsets(handle, partition.topic, partition.partition, &low, &high, timeoutMs)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw RdKafka.failure("query watermarks of \(partition)", err) }
        return (low, high)
    }

    /// Watermarks as last seen in fetch responses (no network); nil until a fetch reported them.
    func cachedWatermarks(_ partition: TopicPartition) -> (low: Int64, high: Int64)? {
        var low: Int64 = -1
        var high: Int64 = -1
        let err = rd_kafka_get_watermark_offsets(handle, partition.topic, partition.partition, &low, &high)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0 else { return nil }
        return (max(0, low), high)
    }

    /// Partitions currently assigned to this consumer.
    func assignment() throws(KafkaError) -> [TopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        let err = rd_kafka_assignment(handle, &list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw RdKafka.failure("assignment", err) }
        guard let list else { return [] }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return Self.entries(list).map(\.partition)
    }

    /// Stops (`pause == true`) or restarts fetching these partitions.
    func setPaused(_ partitions: [TopicPartition], pause: Bool) throws(KafkaError) {
        try withList(partitions.map { ($0, rdKafkaOffsetInvalid) }, pause ? "pause" : "resume") { list in
            pause ? rd_kafka_pause_partitions(handle, list) : rd_kafka_resume_partitions(handle, list)
        }
    }

    // MARK: Partition lists

    private func withList(
        _ items: [(TopicPartition, Int64)], _ operation: String,
        _ call: (UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> rd_kafka_resp_err_t
    ) throws(KafkaError) {
        let list = Self.makeList(items)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = call(list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw RdKafka.failure(operation, err) }
        try Self.checkEntries(list, operation)
    }

    private func offsets(
        _ partitions: [TopicPartition], _ operation: String,
        _ call: (UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> rd_kafka_resp_err_t
    ) throws(KafkaError) -> [TopicPartition: Int64?] {
        let list = Self.makeList(partitions.map { ($0, rdKafkaOffsetInvalid) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = call(list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw RdKafka.failure(operation, err) }
        var result: [TopicPartition: Int64?] = [:]
        for entry in Self.entries(list) { result[entry.partition] = entry.offset >= 0 ? entry.offset : nil }
        return result
    }

    private static func makeList(_ items: [(TopicPartition, Int64)]) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        let list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t> = rd_kafka_topic_partition_list_new(Int32(clamping: items.count))
        for (tp, offset) in items {
            rd_kafka_topic_partition_list_add(list, tp.topic, tp.partition).pointee.offset = offset
        }
        return list
    }

    private static func entries(_ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>)
        -> [(partition: TopicPartition, offset: Int64, err: rd_kafka_resp_err_t)]
    {
        (0..<Int(list.pointee.cnt)).map { index in
            let elem = list.pointee.elems[index]
            return (TopicPartition(topic: String(cString: elem.topic), partition: elem.partition), elem.offset, elem.err)
        }
    }

    private static func checkEntries(_ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>, _ operation: String) throws(KafkaError)
    {
        for entry in entries(list) where entry.err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw RdKafka.failure("\(operation) \(entry.partition)", entry.err)
        }
    }
}
