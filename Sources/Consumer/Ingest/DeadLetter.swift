import Foundation

/// A rejected Kafka message as it goes to `<topic>.dlq` or the DLQ file: where it came from,
/// its original bytes (base64), why it was rejected and when.
public struct DeadLetter: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]
    /// Stable label, e.g. "invalid_json" (`IngestRejection.reason`).
    public var reason: String
    /// Human message: what is wrong and where.
    public var message: String
    /// When it was rejected, ms since the Unix epoch.
    public var time: Int64

    public init(topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8], reason: String, message: String, time: Int64)
    {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.reason = reason
        self.message = message
        self.time = time
    }

    /// A record for `rejection` of a message (the first rejection when a message has several).
    public init(topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8], rejection: IngestRejection, time: Int64) {
        self.init(
            topic: topic, partition: partition, offset: offset, key: key, value: value,
            reason: rejection.reason, message: rejection.description, time: time)
    }

    /// One JSON object, no newline:
    /// `{"topic","partition","offset","key_base64"(or null),"value_base64","reason","message","time_ms"}`.
    public func json() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(160 + value.count * 4 / 3)
        out.append(0x7B)
        JSONText.appendKey("topic", to: &out)
        JSONText.appendString(topic, to: &out)
        out.append(contentsOf: ",\"partition\":\(partition),\"offset\":\(offset),".utf8)
        JSONText.appendKey("key_base64", to: &out)
        if let key { JSONText.appendString(Data(key).base64EncodedString(), to: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(0x2C)
        JSONText.appendKey("value_base64", to: &out)
        JSONText.appendString(Data(value).base64EncodedString(), to: &out)
        out.append(0x2C)
        JSONText.appendKey("reason", to: &out)
        JSONText.appendString(reason, to: &out)
        out.append(0x2C)
        JSONText.appendKey("message", to: &out)
        JSONText.appendString(message, to: &out)
        out.append(contentsOf: ",\"time_ms\":\(time)}".utf8)
        return out
    }

    /// Reads a record written by `json()` (e.g. to replay a DLQ file); nil when malformed.
    public init?(json: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any],
            let topic = object["topic"] as? String, let partition = (object["partition"] as? NSNumber)?.int32Value,
            let offset = (object["offset"] as? NSNumber)?.int64Value,
            let valueText = object["value_base64"] as? String, let value = Data(base64Encoded: valueText),
            let reason = object["reason"] as? String, let message = object["message"] as? String,
            let time = (object["time_ms"] as? NSNumber)?.int64Value
        else { return nil }
        var key: [UInt8]?
        if let keyText = object["key_base64"] as? String {
            guard let k = Data(base64Encoded: keyText) else { return nil }
            key = [UInt8](k)
        }
        self.init(
            topic: topic, partition: partition, offset: offset, key: key, value: [UInt8](value), reason: reason, message: message,
            time: time)
    }
}
