import TSDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Settings of `EventDecoder`.
public struct EventDecoderConfig: Sendable {
    /// Service for events of a topic that name none anywhere else (topic → service).
    public var defaultServices: [String: String]
    /// Header consulted after the message key.
    public var serviceHeader: String
    /// Unit of line-protocol timestamps.
    public var precision: LineProtocolPrecision

    public init(defaultServices: [String: String] = [:], serviceHeader: String = "service", precision: LineProtocolPrecision = .nanoseconds)
    {
        self.defaultServices = defaultServices
        self.serviceHeader = serviceHeader
        self.precision = precision
    }
}

/// Turns a Kafka message into metric events: JSON event lines (first non-space byte `{`,
/// parsed by TSDB's `EventParser`) or InfluxDB line protocol (`InfluxLineParser`); several
/// lines per message are fine, and each bad line becomes one typed rejection.
///
/// Service attribution, first match wins: the event's own `service` (JSON field or
/// line-protocol tag), the message key, the `service` header, the topic's default service.
/// Not thread-safe; use one per consumer thread.
public final class EventDecoder {
    public let config: EventDecoderConfig
    let json = EventParser()
    let lineProtocol: InfluxLineParser
    /// A JSON line with the attributed service spliced in (reused).
    var spliced: [UInt8] = []

    public init(config: EventDecoderConfig = EventDecoderConfig()) {
        self.config = config
        lineProtocol = InfluxLineParser(precision: config.precision)
    }

    /// The service used for events naming none: the key (non-empty UTF-8), else the service
    /// header (non-empty UTF-8), else the topic's default; nil when none applies.
    public func fallbackService(key: UnsafeRawBufferPointer?, headers: [KafkaHeader], topic: String) -> String? {
        if let key, key.count > 0, let s = String(validating: key, as: UTF8.self) { return s }
        for h in headers where h.name == config.serviceHeader {
            if let value = h.value, !value.isEmpty, let s = String(validating: value, as: UTF8.self) { return s }
        }
        return config.defaultServices[topic]
    }

    /// Decodes one message into `out` (which is reset first). `ingestTime` (ms) stands in for
    /// missing line-protocol timestamps.
    public func decode(
        _ value: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer?, headers: [KafkaHeader], topic: String,
        ingestTime: Int64, into out: inout DecodedMessage
    ) {
        out.reset()
        guard let base = value.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            out.rejections.append(.emptyMessage)
            return
        }
        var first = 0
        while first < value.count, base[first] == 0x20 || base[first] == 0x09 || base[first] == 0x0A || base[first] == 0x0D {
            first += 1
        }
        guard first < value.count else {
            out.rejections.append(.emptyMessage)
            return
        }
        out.format = base[first] == 0x7B ? .json : .lineProtocol
        let fallback = fallbackService(key: key, headers: headers, topic: topic)
        var start = 0
        var lineNumber = 0
        while start <= value.count {
            let rest = value.count - start
            let nl = rest > 0 ? memchr(base + start, 0x0A, rest) : nil
            let end = nl.map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? value.count
            let line = UnsafeRawBufferPointer(start: base + start, count: end - start)
            if out.format == .json {
                decodeJSONLine(line, lineNumber, fallback, &out)
            } else {
                decodeLPLine(line, lineNumber, fallback, ingestTime, &out)
            }
            lineNumber += 1
            start = end + 1
        }
        if out.events.isEmpty && out.rejections.isEmpty && out.skippedStringFields == 0 {
            out.rejections.append(.emptyMessage)
        }
    }

    /// Convenience over `decode(_:key:headers:topic:ingestTime:into:)` for arrays.
    public func decode(_ value: [UInt8], key: [UInt8]? = nil, headers: [KafkaHeader] = [], topic: String, ingestTime: Int64)
        -> DecodedMessage
    {
        var out = DecodedMessage()
        value.withUnsafeBytes { v in
            if let key {
                key.withUnsafeBytes { k in decode(v, key: k, headers: headers, topic: topic, ingestTime: ingestTime, into: &out) }
            } else {
                decode(v, key: nil, headers: headers, topic: topic, ingestTime: ingestTime, into: &out)
            }
        }
        return out
    }

    private func decodeLPLine(_ line: UnsafeRawBufferPointer, _ number: Int, _ fallback: String?, _ now: Int64, _ out: inout DecodedMessage)
    {
        do {
            let o = try lineProtocol.parseLine(line, fallbackService: fallback, defaultTimestamp: now, into: &out.events)
            out.skippedStringFields += o.skippedStringFields
            if o.timestampDefaulted { out.missingTimestamps += 1 }
        } catch {
            var e = error
            e.line = number
            out.rejections.append(.lineProtocol(e))
        }
    }
}
