#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Parses metric events from JSON lines, e.g.
/// `{"service":"api","type":"latency_ms","value":1.5,"timestamp":1764420000123,"tags":{"k":"v"}}`.
/// The full accepted grammar is in docs/format/events.md.
///
/// The hot path scans bytes and allocates nothing for a series it has seen before: labels are
/// interned by the raw bytes of `service`, `type` and `tags`. Not thread-safe; use one per thread.
public final class EventParser {
    private var cache: LabelCache
    /// Decoded bytes of escaped strings (slow paths only).
    var scratch: [UInt8] = []
    /// Decoded unknown keys of the current line, for duplicate detection.
    private var otherKeys: Set<[UInt8]> = []

    /// The interned series slot of the last parsed event (-1 when not cached): equal slots mean
    /// equal labels while `cacheGeneration` stays the same. Lets importers skip hashing labels.
    public private(set) var lastSeriesSlot = -1
    public var cacheGeneration: Int { cache.generation }

    /// `labelCacheLimit` bounds the number of interned series (the cache restarts when full).
    public init(labelCacheLimit: Int = 1 << 16) {
        cache = LabelCache(limit: labelCacheLimit)
    }

    /// Parses one line (without its newline; a trailing "\r" or other JSON whitespace is fine).
    public func parse(_ line: UnsafeRawBufferPointer) throws(EventParseError) -> MetricEvent {
        guard let raw = line.baseAddress, line.count > 0 else { throw .emptyLine }
        var c = JSONCursor(raw.assumingMemoryBound(to: UInt8.self), count: line.count)
        var f = EventFields()
        try scanObject(&c, &f)
        guard let service = f.service else { throw .missingField("service") }
        guard let type = f.type else { throw .missingField("type") }
        guard let value = f.value else { throw .missingField("value") }
        guard let timestamp = f.timestamp else { throw .missingField("timestamp") }
        guard service.count > 0 else { throw .emptyField("service") }
        guard type.count > 0 else { throw .emptyField("type") }

        let a = UnsafeRawBufferPointer(start: c.base + service.start, count: service.count)
        let b = UnsafeRawBufferPointer(start: c.base + type.start, count: type.count)
        let t = UnsafeRawBufferPointer(start: c.base + f.tagsStart, count: f.tagsEnd - f.tagsStart)
        let hash = LabelCache.hash(a, b, t)
        if let hit = cache.lookup(hash, a, b, t) {
            lastSeriesSlot = hit.slot
            return MetricEvent(labels: hit.labels, timestamp: timestamp, value: value)
        }
        let labels = try buildLabels(c, service: service, type: type, tagsAt: f.tagsEnd > f.tagsStart ? f.tagsStart : nil)
        lastSeriesSlot = cache.insert(hash, a, b, t, labels) ?? -1
        return MetricEvent(labels: labels, timestamp: timestamp, value: value)
    }

    /// Parses one line given as a String.
    public func parse(_ line: String) throws(EventParseError) -> MetricEvent {
        var line = line
        let result = line.withUTF8 { buf in
            Result { () throws(EventParseError) -> MetricEvent in try parse(UnsafeRawBufferPointer(buf)) }
        }
        return try result.get()
    }

    /// Walks the top-level object, dispatching each member to its field scanner.
    private func scanObject(_ c: inout JSONCursor, _ f: inout EventFields) throws(EventParseError) {
        c.skipWhitespace()
        if c.pos >= c.end { throw .emptyLine }
        guard c.current == 0x7B else {
            if c.pos + 2 < c.end && c.base[c.pos] == 0xEF && c.base[c.pos + 1] == 0xBB && c.base[c.pos + 2] == 0xBF {
                throw c.fail(c.pos, "byte order mark")
            }
            throw .notAnObject
        }
        c.pos += 1
        c.skipWhitespace()
        if c.current == 0x7D {
            c.pos += 1
        } else {
            if !otherKeys.isEmpty { otherKeys.removeAll(keepingCapacity: true) }
            while true {
                guard c.current == 0x22 else {
                    throw c.fail(c.pos, f.afterComma && c.current == 0x7D ? "trailing comma" : "expected a string key")
                }
                let keySpan = try c.scanString()
                let key = try classify(c, keySpan)
                try c.expectColon()
                try scanMember(key, &c, &f)
                c.skipWhitespace()
                if c.current == 0x2C {
                    c.pos += 1
                    c.skipWhitespace()
                    f.afterComma = true
                } else if c.current == 0x7D {
                    c.pos += 1
                    break
                } else {
                    throw c.fail(c.pos, "expected ',' or '}'")
                }
            }
        }
        c.skipWhitespace()
        if c.pos < c.end { throw .trailingData(offset: c.pos) }
    }

    /// Which field a key names (decoding it first if it holds escapes). A repeated unknown
    /// key is as ambiguous as a repeated known one, so it is rejected too.
    private func classify(_ c: JSONCursor, _ span: JSONStringSpan) throws(EventParseError) -> EventKey {
        if span.plain {
            let key = EventKey(c.base + span.start, span.count)
            if key != .other { return key }
        }
        scratch.removeAll(keepingCapacity: true)
        c.decode(span, into: &scratch)
        let key = scratch.withUnsafeBufferPointer { buf in
            buf.baseAddress.map { EventKey($0, buf.count) } ?? .other
        }
        if key != .other { return key }
        // A set: a line of many unknown keys must not cost quadratic time.
        guard otherKeys.insert(scratch).inserted else { throw .duplicateField(String(decoding: scratch, as: UTF8.self)) }
        return .other
    }

    private func scanMember(_ key: EventKey, _ c: inout JSONCursor, _ f: inout EventFields) throws(EventParseError) {
        switch key {
        case .service:
            guard f.service == nil else { throw .duplicateField("service") }
            f.service = try scanStringField("service", &c)
        case .type:
            guard f.type == nil else { throw .duplicateField("type") }
            f.type = try scanStringField("type", &c)
        case .value:
            guard f.value == nil else { throw .duplicateField("value") }
            f.value = try scanValue(&c)
        case .timestamp:
            guard f.timestamp == nil else { throw .duplicateField("timestamp") }
            f.timestamp = try scanTimestamp(&c)
        case .tags:
            guard !f.sawTags else { throw .duplicateField("tags") }
            f.sawTags = true
            try scanTags(&c, &f)
        case .other:
            try c.skipValue()
        }
    }
}

/// What the top-level scan collected for one line.
struct EventFields {
    var service: JSONStringSpan?
    var type: JSONStringSpan?
    var value: Double?
    var timestamp: Int64?
    var sawTags = false
    /// Raw bytes of the tags object (`{...}`); empty when absent or null.
    var tagsStart = 0
    var tagsEnd = 0
    var afterComma = false
}

/// The keys of an event object.
enum EventKey {
    case service, type, value, timestamp, tags, other

    init(_ p: UnsafePointer<UInt8>, _ n: Int) {
        @inline(__always) func eq(_ word: StaticString) -> Bool { memcmp(p, word.utf8Start, n) == 0 }
        switch n {
        case 4: self = eq("type") ? .type : eq("tags") ? .tags : .other
        case 5: self = eq("value") ? .value : .other
        case 7: self = eq("service") ? .service : .other
        case 9: self = eq("timestamp") ? .timestamp : .other
        default: self = .other
        }
    }
}
