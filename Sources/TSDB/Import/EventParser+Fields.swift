extension EventParser {
    /// `service` or `type`: a JSON string (emptiness is checked once the line is complete).
    func scanStringField(_ name: String, _ c: inout JSONCursor) throws(EventParseError) -> JSONStringSpan {
        guard c.current == 0x22 else { throw wrongType(c, name, "a string") }
        return try c.scanString()
    }

    /// `value`: a number, or one of the strings "NaN", "Inf", "+Inf", "-Inf".
    func scanValue(_ c: inout JSONCursor) throws(EventParseError) -> Double {
        let first = c.current
        if first == 0x2D || first &- 0x30 < 10 {
            let n = try c.scanNumber()
            let d = n.doubleValue(c.base)
            if d.isInfinite { throw .badValue("\(text(c, n)) is outside the range of a Double") }
            return d
        }
        guard first == 0x22 else { throw wrongType(c, "value", "a number or one of \"NaN\", \"Inf\", \"+Inf\", \"-Inf\"") }
        let span = try c.scanString()
        if c.equals(span, "NaN", scratch: &scratch) { return .nan }
        if c.equals(span, "Inf", scratch: &scratch) || c.equals(span, "+Inf", scratch: &scratch) { return .infinity }
        if c.equals(span, "-Inf", scratch: &scratch) { return -.infinity }
        throw .badValue("string \"\(c.string(span, scratch: &scratch))\" is not one of \"NaN\", \"Inf\", \"+Inf\", \"-Inf\"")
    }

    /// `timestamp`: a number in s/ms/µs/ns by magnitude, or an RFC 3339 string.
    func scanTimestamp(_ c: inout JSONCursor) throws(EventParseError) -> Int64 {
        let first = c.current
        if first == 0x2D || first &- 0x30 < 10 {
            let n = try c.scanNumber()
            guard !n.overflowsDouble(c.base), let ms = TimestampNormalizer.milliseconds(n) else {
                throw .badTimestamp("\(text(c, n)) is out of range for Int64 milliseconds")
            }
            return ms
        }
        guard first == 0x22 else { throw wrongType(c, "timestamp", "a number or an RFC 3339 string") }
        let span = try c.scanString()
        let ms: Int64?
        if span.plain {
            ms = TimestampNormalizer.milliseconds(rfc3339Bytes: UnsafeRawBufferPointer(start: c.base + span.start, count: span.count))
        } else {
            scratch.removeAll(keepingCapacity: true)
            c.decode(span, into: &scratch)
            ms = scratch.withUnsafeBytes { TimestampNormalizer.milliseconds(rfc3339Bytes: $0) }
        }
        guard let ms else {
            throw .badTimestamp("\"\(c.string(span, scratch: &scratch))\" is not an RFC 3339 date-time like 2025-11-29T12:00:00.123Z")
        }
        return ms
    }

    /// `tags`: null or an object whose values are strings, numbers or bools. Only validates and
    /// records the object's byte range; names are checked when a new series is built.
    func scanTags(_ c: inout JSONCursor, _ f: inout EventFields) throws(EventParseError) {
        if c.current == 0x6E {
            try c.scanLiteral("null")
            return
        }
        guard c.current == 0x7B else { throw wrongType(c, "tags", "an object") }
        f.tagsStart = c.pos
        try c.scanTagMembers { name, c throws(EventParseError) in
            throw .wrongType(field: "tags." + c.string(name, scratch: &scratch), expected: "a string, number or bool")
        } member: { _, _, _ in
        }
        f.tagsEnd = c.pos
    }

    /// The error for a field holding the wrong kind of value (or no value at all).
    func wrongType(_ c: JSONCursor, _ field: String, _ expected: String) -> EventParseError {
        switch c.current {
        case 0x22, 0x7B, 0x5B, 0x74, 0x66, 0x6E, 0x2D, 0x30...0x39: .wrongType(field: field, expected: expected)
        default: c.fail(c.pos, "expected a value")
        }
    }

    private func text(_ c: JSONCursor, _ n: JSONNumber) -> String {
        String(decoding: UnsafeBufferPointer(start: c.base + n.start, count: n.end - n.start), as: UTF8.self)
    }
}

/// How a tag value was written: its text is the string's content or the literal's bytes.
enum TagValue {
    case string(JSONStringSpan)
    case literal(start: Int, end: Int)
}

extension JSONCursor {
    /// Walks a tags object at `pos` (a '{'), calling `member` for each name/value pair and
    /// `invalid` for a null, object or array value (which must throw).
    mutating func scanTagMembers(
        invalid: (JSONStringSpan, JSONCursor) throws(EventParseError) -> Void,
        member: (JSONStringSpan, TagValue, JSONCursor) throws(EventParseError) -> Void
    ) throws(EventParseError) {
        pos += 1
        skipWhitespace()
        if current == 0x7D {
            pos += 1
            return
        }
        var afterComma = false
        while true {
            guard current == 0x22 else {
                throw fail(pos, afterComma && current == 0x7D ? "trailing comma" : "expected a string key")
            }
            let name = try scanString()
            try expectColon()
            let value: TagValue
            switch current {
            case 0x22: value = .string(try scanString())
            case 0x2D, 0x30...0x39:
                let n = try scanNumber()
                if n.overflowsDouble(base) { throw fail(n.start, "number out of range") }
                value = .literal(start: n.start, end: n.end)
            case 0x74:
                let start = pos
                try scanLiteral("true")
                value = .literal(start: start, end: pos)
            case 0x66:
                let start = pos
                try scanLiteral("false")
                value = .literal(start: start, end: pos)
            case 0x6E, 0x7B, 0x5B:
                try invalid(name, self)
                throw fail(pos, "expected a tag value")
            default: throw fail(pos, "expected a value")
            }
            try member(name, value, self)
            skipWhitespace()
            if current == 0x2C {
                pos += 1
                skipWhitespace()
                afterComma = true
            } else if current == 0x7D {
                pos += 1
                return
            } else {
                throw fail(pos, "expected ',' or '}'")
            }
        }
    }
}
