/// The content of a JSON string: bytes `start..<end` of the line, between the quotes.
/// `plain` means it holds no escape, so the raw bytes are the decoded UTF-8.
struct JSONStringSpan {
    var start: Int
    var end: Int
    var plain: Bool
    var count: Int { end - start }
}

/// A strict RFC 8259 scanner over one line of bytes. It validates as it goes (escapes,
/// surrogate pairs, UTF-8, number grammar) and builds nothing: callers get byte spans.
/// Reading past the end yields the sentinel 0, which no JSON token may contain, so every
/// truncated input fails at a check that is needed anyway.
struct JSONCursor {
    let base: UnsafePointer<UInt8>
    let end: Int
    var pos = 0

    init(_ base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.end = count
    }

    @inline(__always) func byte(_ i: Int) -> UInt8 { i < end ? base[i] : 0 }
    @inline(__always) var current: UInt8 { byte(pos) }

    @inline(__always) mutating func skipWhitespace() {
        while pos < end {
            let c = base[pos]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            pos += 1
        }
    }

    /// An `invalidJSON` error at `offset`, naming the end of line when it lies there.
    func fail(_ offset: Int, _ reason: String) -> EventParseError {
        .invalidJSON(offset: offset, reason: offset >= end ? "unexpected end of line, \(reason)" : reason)
    }

    /// Scans the string starting at the opening quote under `pos`.
    mutating func scanString() throws(EventParseError) -> JSONStringSpan {
        let start = pos + 1
        var i = start
        var plain = true
        while true {
            while i < end {
                let c = base[i]
                if c == 0x22 || c == 0x5C || c < 0x20 || c >= 0x80 { break }
                i += 1
            }
            let c = byte(i)
            if c == 0x22 && i < end {
                pos = i + 1
                return JSONStringSpan(start: start, end: i, plain: plain)
            } else if c == 0x5C {
                plain = false
                i = try validateEscape(i)
            } else if c >= 0x80 {
                i = try validateUTF8(i)
            } else if i >= end {
                throw fail(i, "unterminated string")
            } else {
                throw fail(i, "unescaped control character in string")
            }
        }
    }

    /// Validates the escape at `i` (a backslash) and returns the index after it.
    private func validateEscape(_ i: Int) throws(EventParseError) -> Int {
        switch byte(i + 1) {
        case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: return i + 2
        case 0x75:
            guard let unit = hex4(i + 2) else { throw fail(i, "bad \\u escape") }
            if unit >= 0xDC00 && unit <= 0xDFFF { throw fail(i, "unpaired low surrogate") }
            guard unit >= 0xD800 && unit <= 0xDBFF else { return i + 6 }
            guard byte(i + 6) == 0x5C, byte(i + 7) == 0x75, let low = hex4(i + 8), low >= 0xDC00, low <= 0xDFFF else {
                throw fail(i, "unpaired high surrogate")
            }
            return i + 12
        default: throw fail(i, "invalid escape sequence")
        }
    }

    /// The 16-bit value of four hex digits at `i`, or nil.
    func hex4(_ i: Int) -> UInt32? {
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = byte(i + k)
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c &- 0x30
            case 0x41...0x46: d = c &- 0x37
            case 0x61...0x66: d = c &- 0x57
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    /// Validates one multi-byte UTF-8 sequence at `i` (no overlongs, surrogates or > U+10FFFF).
    private func validateUTF8(_ i: Int) throws(EventParseError) -> Int {
        let c0 = base[i]
        let c1 = byte(i + 1)
        @inline(__always) func cont(_ c: UInt8) -> Bool { c & 0xC0 == 0x80 }
        let n: Int
        switch c0 {
        case 0xC2...0xDF: n = cont(c1) ? 2 : 0
        case 0xE0: n = (0xA0...0xBF).contains(c1) && cont(byte(i + 2)) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: n = cont(c1) && cont(byte(i + 2)) ? 3 : 0
        case 0xED: n = (0x80...0x9F).contains(c1) && cont(byte(i + 2)) ? 3 : 0
        case 0xF0: n = (0x90...0xBF).contains(c1) && cont(byte(i + 2)) && cont(byte(i + 3)) ? 4 : 0
        case 0xF1...0xF3: n = cont(c1) && cont(byte(i + 2)) && cont(byte(i + 3)) ? 4 : 0
        case 0xF4: n = (0x80...0x8F).contains(c1) && cont(byte(i + 2)) && cont(byte(i + 3)) ? 4 : 0
        default: n = 0
        }
        guard n > 0 else { throw fail(i, "invalid UTF-8") }
        return i + n
    }

    /// Scans a number at `pos` under the strict JSON grammar, keeping its decimal form.
    mutating func scanNumber() throws(EventParseError) -> JSONNumber {
        var n = JSONNumber()
        n.start = pos
        var i = pos
        if byte(i) == 0x2D {
            n.negative = true
            i += 1
        }
        let first = byte(i)
        if first == 0x30 {
            i += 1
            if byte(i) &- 0x30 < 10 { throw fail(n.start, "number with a leading zero") }
        } else if first &- 0x31 < 9 {
            while true {
                let d = byte(i) &- 0x30
                guard d < 10 else { break }
                n.addDigit(d, fractional: false)
                i += 1
            }
        } else {
            throw fail(i, "expected a digit")
        }
        if byte(i) == 0x2E {
            i += 1
            guard byte(i) &- 0x30 < 10 else { throw fail(i, "expected a digit after '.'") }
            while true {
                let d = byte(i) &- 0x30
                guard d < 10 else { break }
                n.addDigit(d, fractional: true)
                i += 1
            }
        }
        let e = byte(i)
        if e == 0x65 || e == 0x45 {
            i += 1
            var negativeExponent = false
            if byte(i) == 0x2B {
                i += 1
            } else if byte(i) == 0x2D {
                negativeExponent = true
                i += 1
            }
            guard byte(i) &- 0x30 < 10 else { throw fail(i, "expected a digit in the exponent") }
            var x = 0
            while true {
                let d = byte(i) &- 0x30
                guard d < 10 else { break }
                if x < 1_000_000 { x = x * 10 + Int(d) }  // saturate: beyond this every result is 0 or inf
                i += 1
            }
            n.exponent += negativeExponent ? -x : x
        }
        n.end = i
        pos = i
        return n
    }

    /// Expects the literal `word` (e.g. "true") at `pos`.
    mutating func scanLiteral(_ word: StaticString) throws(EventParseError) {
        let w = word.utf8Start
        for k in 0..<word.utf8CodeUnitCount where byte(pos + k) != w[k] {
            throw fail(pos + k, "invalid literal")
        }
        pos += word.utf8CodeUnitCount
    }
}

extension JSONNumber {
    @inline(__always) mutating func addDigit(_ d: UInt8, fractional: Bool) {
        if digits == 0 && d == 0 {
            if fractional { exponent -= 1 }  // a leading zero only shifts the exponent
        } else if digits < 19 {
            significand = significand &* 10 &+ UInt64(d)
            digits += 1
            if fractional { exponent -= 1 }
        } else {
            if d != 0 { truncated = true }
            if !fractional { exponent += 1 }
        }
    }
}
