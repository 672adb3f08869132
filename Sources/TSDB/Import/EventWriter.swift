/// Writes metric events as JSON lines that `EventParser` reads back identically.
public enum EventWriter {
    /// Appends one JSON line (with trailing "\n") that EventParser reads back to an identical event (bitwise value, same labels, same ms timestamp).
    /// Keys come in the order service, type, value, timestamp, tags (sorted by name). NaN is
    /// written as the string "NaN" (payload bits are not kept), infinities as "+Inf"/"-Inf".
    /// The event needs a non-empty service and type, as every parsed event has.
    public static func appendLine(_ event: MetricEvent, to out: inout [UInt8]) {
        append("{\"service\":", to: &out)
        appendString(event.labels.serviceName, to: &out)
        append(",\"type\":", to: &out)
        appendString(event.labels.metricType, to: &out)
        append(",\"value\":", to: &out)
        appendValue(event.value, to: &out)
        append(",\"timestamp\":", to: &out)
        appendTimestamp(event.timestamp, to: &out)
        var first = true
        for label in event.labels.pairs where label.name != Labels.metricName && label.name != Labels.service {
            append(first ? ",\"tags\":{" : ",", to: &out)
            first = false
            appendString(label.name, to: &out)
            out.append(0x3A)
            appendString(label.value, to: &out)
        }
        append(first ? "}\n" : "}}\n", to: &out)
    }

    @inline(__always) static func append(_ s: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// A JSON string: quotes, backslashes and control characters escaped, the rest raw UTF-8.
    static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: append("\\\"", to: &out)
            case 0x5C: append("\\\\", to: &out)
            case 0x0A: append("\\n", to: &out)
            case 0x0D: append("\\r", to: &out)
            case 0x09: append("\\t", to: &out)
            case 0x08: append("\\b", to: &out)
            case 0x0C: append("\\f", to: &out)
            case 0..<0x20:
                append("\\u00", to: &out)
                out.append(hexDigit(b >> 4))
                out.append(hexDigit(b & 0xF))
            default: out.append(b)
            }
        }
        out.append(0x22)
    }

    private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x57 + v }

    /// Integers below 2^53 as plain digits (exact), other finite values in Swift's shortest
    /// round-trip form, non-finite values as strings.
    static func appendValue(_ v: Double, to out: inout [UInt8]) {
        if v.isNaN {
            append("\"NaN\"", to: &out)
            return
        }
        if v.isInfinite {
            append(v < 0 ? "\"-Inf\"" : "\"+Inf\"", to: &out)
            return
        }
        if v.magnitude < 9_007_199_254_740_992, v == v.rounded(.towardZero), !(v == 0 && v.sign == .minus) {
            appendInteger(Int64(v), to: &out)
            return
        }
        out.append(contentsOf: v.description.utf8)
    }

    /// Integer ms where the parser's magnitude rule reads ms (1e11 <= |t| < 1e14, years
    /// 1973-5138); outside it seconds with three decimals or ns, so every Int64 reads back.
    static func appendTimestamp(_ ms: Int64, to out: inout [UInt8]) {
        let m = ms.magnitude
        if m >= 100_000_000_000 && m < 100_000_000_000_000 {
            appendInteger(ms, to: &out)
        } else if m < 100_000_000_000 {
            if ms < 0 { out.append(0x2D) }
            appendDigits(m / 1000, to: &out)
            if m % 1000 != 0 {
                out.append(0x2E)
                let frac = m % 1000
                out.append(0x30 + UInt8(frac / 100))
                out.append(0x30 + UInt8(frac / 10 % 10))
                out.append(0x30 + UInt8(frac % 10))
            }
        } else {
            appendInteger(ms, to: &out)
            append("000000", to: &out)
        }
    }

    static func appendInteger(_ v: Int64, to out: inout [UInt8]) {
        if v < 0 { out.append(0x2D) }
        appendDigits(v.magnitude, to: &out)
    }

    static func appendDigits(_ v: UInt64, to out: inout [UInt8]) {
        var m = v
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes on the stack; at most 20 digits
        var n = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            repeat {
                buf[n] = UInt8(truncatingIfNeeded: m % 10) + 0x30
                m /= 10
                n += 1
            } while m > 0
            for i in stride(from: n - 1, through: 0, by: -1) { out.append(buf[i]) }
        }
    }
}
