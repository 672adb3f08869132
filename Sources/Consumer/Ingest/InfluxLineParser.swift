import TSDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Unit of line-protocol timestamps (Telegraf's `precision`; nanoseconds by default).
public enum LineProtocolPrecision: Sendable {
    case nanoseconds, microseconds, milliseconds, seconds
}

/// Parses InfluxDB line protocol, what Telegraf's Kafka output sends by default:
/// `measurement[,tag=v...] field=value[,field2=v2...] [timestamp]`.
///
/// Each numeric or boolean field becomes one `MetricEvent` of type `<measurement>_<field>`
/// (just `<measurement>` for a field named `value`); the `service` tag becomes the service
/// (else the caller's fallback), other tags stay tags. Integers `12i`, unsigned `12u`, floats
/// and booleans (1/0) are accepted; quoted string fields are skipped and counted. A line is
/// all-or-nothing. Newlines inside string fields are not supported (lines split on `\n`).
/// Labels are interned by the raw series bytes, so a known series allocates nothing.
/// Not thread-safe; use one per thread.
public final class InfluxLineParser {
    public let precision: LineProtocolPrecision
    /// Reused per line: tag and field spans of the current line.
    var tags: [LPTag] = []
    var fields: [LPField] = []
    var cache: LPSeriesCache

    /// `labelCacheLimit` bounds the number of interned series (the cache restarts when full).
    public init(precision: LineProtocolPrecision = .nanoseconds, labelCacheLimit: Int = 1 << 16) {
        self.precision = precision
        cache = LPSeriesCache(limit: labelCacheLimit)
    }

    /// What one line yielded besides its events.
    public struct LineOutcome: Equatable, Sendable {
        /// Events appended (0 for blank and comment lines and string-only lines).
        public var events = 0
        /// String fields skipped.
        public var skippedStringFields = 0
        /// True when the line had no timestamp and got `defaultTimestamp`.
        public var timestampDefaulted = false
    }

    /// Parses one line (no `\n`; a trailing `\r` is fine), appending its events to `events`.
    /// `defaultTimestamp` (ms) is used when the line has none.
    public func parseLine(
        _ line: UnsafeRawBufferPointer, fallbackService: String?, defaultTimestamp: Int64,
        into events: inout [MetricEvent]
    ) throws(LineProtocolError) -> LineOutcome {
        var outcome = LineOutcome()
        guard let raw = line.baseAddress else { return outcome }
        let p = raw.assumingMemoryBound(to: UInt8.self)
        var n = line.count
        while n > 0 && (p[n - 1] == 0x0D || p[n - 1] == 0x20 || p[n - 1] == 0x09) { n -= 1 }
        var i = 0
        while i < n && (p[i] == 0x20 || p[i] == 0x09) { i += 1 }
        if i == n || p[i] == 0x23 { return outcome }  // blank or `#` comment

        // Measurement, then tags up to the first unescaped space.
        let mStart = i
        var escaped = false
        i = LPScan.token(p, i, n, &escaped, stopAtEquals: false)
        guard i > mStart else { throw LineProtocolError(.missingMeasurement, offset: i) }
        let measurement = LPSpan(start: mStart, end: i, escaped: escaped)
        tags.removeAll(keepingCapacity: true)
        var serviceTag: LPSpan?
        while i < n && p[i] == 0x2C {
            let tag = try scanTag(p, i + 1, n)
            i = tag.value.end
            if tag.isService(p) { serviceTag = tag.value } else { tags.append(tag) }
        }
        let prefixEnd = i
        guard i < n, p[i] == 0x20 else { throw LineProtocolError(.missingFields, offset: i) }
        while i < n && p[i] == 0x20 { i += 1 }
        guard i < n else { throw LineProtocolError(.missingFields, offset: i) }

        i = try scanFields(p, i, n)
        var timestamp = defaultTimestamp
        if i < n {
            while i < n && p[i] == 0x20 { i += 1 }
            let tsStart = i
            while i < n && p[i] != 0x20 { i += 1 }
            guard let ts = LPScan.timestampMillis(p, tsStart, i, precision) else {
                let text = String(decoding: UnsafeBufferPointer(start: p + tsStart, count: i - tsStart), as: UTF8.self)
                throw LineProtocolError(.badTimestamp(text), offset: tsStart)
            }
            while i < n && p[i] == 0x20 { i += 1 }
            guard i == n else { throw LineProtocolError(.trailingData, offset: i) }
            timestamp = ts
        } else {
            outcome.timestampDefaulted = true
        }
        let service: String
        if let serviceTag {
            service = LPScan.unescape(p, serviceTag)
        } else if let fallbackService {
            service = fallbackService
        } else {
            throw LineProtocolError(.missingService, offset: 0)
        }
        let series = UnsafeBufferPointer(start: p, count: prefixEnd)
        let keyFallback = serviceTag == nil ? service : nil
        let seriesHash = LPSeriesCache.hash(series: series, fallback: keyFallback)
        for field in fields {
            guard let value = field.value else {
                outcome.skippedStringFields += 1
                continue
            }
            let labels = try labelsFor(p, series, seriesHash, measurement, field.key, keyFallback, service)
            events.append(MetricEvent(labels: labels, timestamp: timestamp, value: value))
            outcome.events += 1
        }
        return outcome
    }

    /// One `key=value` tag starting at `i`; ends at the next unescaped `,` or space.
    private func scanTag(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int) throws(LineProtocolError) -> LPTag {
        var keyEscaped = false
        let keyEnd = LPScan.token(p, start, n, &keyEscaped, stopAtEquals: true)
        guard keyEnd > start, keyEnd < n, p[keyEnd] == 0x3D else { throw LineProtocolError(.badTag, offset: start) }
        var valueEscaped = false
        let valueEnd = LPScan.token(p, keyEnd + 1, n, &valueEscaped, stopAtEquals: false)
        guard valueEnd > keyEnd + 1 else { throw LineProtocolError(.badTag, offset: start) }
        return LPTag(
            key: LPSpan(start: start, end: keyEnd, escaped: keyEscaped),
            value: LPSpan(start: keyEnd + 1, end: valueEnd, escaped: valueEscaped))
    }

    /// The field set starting at `i`; returns the index after it (a space or `n`).
    private func scanFields(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int) throws(LineProtocolError) -> Int {
        fields.removeAll(keepingCapacity: true)
        var i = start
        while true {
            var keyEscaped = false
            let keyStart = i
            i = LPScan.token(p, i, n, &keyEscaped, stopAtEquals: true)
            guard i > keyStart, i < n, p[i] == 0x3D else { throw LineProtocolError(.badField, offset: keyStart) }
            let key = LPSpan(start: keyStart, end: i, escaped: keyEscaped)
            i += 1
            let valueStart = i
            if i < n && p[i] == 0x22 {
                i += 1
                while i < n && p[i] != 0x22 { i += p[i] == 0x5C ? 2 : 1 }
                guard i < n else { throw LineProtocolError(.unterminatedString, offset: valueStart) }
                i += 1
                fields.append(LPField(key: key, value: nil))
            } else {
                while i < n && p[i] != 0x2C && p[i] != 0x20 { i += 1 }
                guard let v = LPScan.fieldValue(p, valueStart, i) else {
                    let text = String(decoding: UnsafeBufferPointer(start: p + valueStart, count: i - valueStart), as: UTF8.self)
                    throw LineProtocolError(.badFieldValue("\"" + text + "\""), offset: valueStart)
                }
                fields.append(LPField(key: key, value: v))
            }
            if i < n && p[i] == 0x2C {
                i += 1
                continue
            }
            guard i == n || p[i] == 0x20 else { throw LineProtocolError(.badField, offset: i) }
            return i
        }
    }
}

/// Byte range of one name or value in the current line; `escaped` when it holds a backslash.
struct LPSpan {
    var start: Int
    var end: Int
    var escaped: Bool
}

struct LPTag {
    var key: LPSpan
    var value: LPSpan

    func isService(_ p: UnsafePointer<UInt8>) -> Bool {
        !key.escaped && key.end - key.start == 7 && memcmp(p + key.start, "service", 7) == 0
    }
}

/// A field's key and its value (nil for a skipped string field).
struct LPField {
    var key: LPSpan
    var value: Double?
}
