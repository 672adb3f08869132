#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Byte-level scanners of line protocol: names with backslash escapes, field values, timestamps.
enum LPScan {
    /// Index of the first unescaped `,` or space (or `=` when `stopAtEquals`) at or after `i`.
    /// A backslash takes the next byte with it; `escaped` is set when one was seen.
    @inline(__always)
    static func token(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, _ escaped: inout Bool, stopAtEquals: Bool) -> Int {
        var i = start
        while i < n {
            let b = p[i]
            if b == 0x2C || b == 0x20 || (stopAtEquals && b == 0x3D) { return i }
            if b == 0x5C {
                escaped = true
                i += 2
            } else {
                i += 1
            }
        }
        return n
    }

    /// The text of a name: `\,` `\ ` `\=` lose their backslash, any other backslash stays
    /// (InfluxDB's rule).
    static func unescape(_ p: UnsafePointer<UInt8>, _ span: LPSpan) -> String {
        let end = span.end
        if !span.escaped { return String(decoding: UnsafeBufferPointer(start: p + span.start, count: end - span.start), as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(end - span.start)
        var i = span.start
        while i < end {
            let b = p[i]
            if b == 0x5C, i + 1 < end, p[i + 1] == 0x2C || p[i + 1] == 0x20 || p[i + 1] == 0x3D {
                out.append(p[i + 1])
                i += 2
            } else {
                out.append(b)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A non-string field value: `12i`, `12u`, a float, or a boolean (1/0); nil when malformed
    /// or out of range.
    static func fieldValue(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        guard end > start else { return nil }
        switch p[end - 1] {
        case 0x69:  // i
            return integer(p, start, end - 1).map { Double($0) }
        case 0x75:  // u
            guard end - 1 > start, p[start] != 0x2D else { return nil }
            return unsigned(p, start, end - 1).map { Double($0) }
        default:
            if let b = boolean(p, start, end) { return b ? 1 : 0 }
            return float(p, start, end)
        }
    }

    static func boolean(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool? {
        func eq(_ word: StaticString) -> Bool {
            end - start == word.utf8CodeUnitCount && memcmp(p + start, word.utf8Start, end - start) == 0
        }
        switch p[start] {
        case 0x74, 0x54: return eq("t") || eq("T") || eq("true") || eq("True") || eq("TRUE") ? true : nil
        case 0x66, 0x46: return eq("f") || eq("F") || eq("false") || eq("False") || eq("FALSE") ? false : nil
        default: return nil
        }
    }

    static func unsigned(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> UInt64? {
        guard end > start else { return nil }
        var v: UInt64 = 0
        for i in start..<end {
            let d = p[i] &- 0x30
            guard d < 10 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            guard !o1, !o2 else { return nil }
            v = s
        }
        return v
    }

    static func integer(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        guard end > start else { return nil }
        let negative = p[start] == 0x2D
        guard let m = unsigned(p, negative ? start + 1 : start, end) else { return nil }
        if negative { return m <= Int64.min.magnitude ? Int64(bitPattern: 0 &- m) : nil }
        return m <= UInt64(Int64.max) ? Int64(m) : nil
    }

    /// `[-]digits[.digits][(e|E)[+-]digits]` (or `.digits`). Up to 19 significant digits and
    /// |exponent| <= 22 take Clinger's exact fast path; the rest go through `strtod` (correctly
    /// rounded in glibc; the process keeps the C locale's `.`). Overflow to infinity is rejected.
    static func float(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start
        let negative = p[i] == 0x2D
        if negative || p[i] == 0x2B { i += 1 }
        var mantissa: UInt64 = 0
        var exp10 = 0
        var digits = 0
        var exact = true
        while i < end, p[i] &- 0x30 < 10 {
            if mantissa < 1_000_000_000_000_000_000 {
                mantissa = mantissa &* 10 &+ UInt64(p[i] &- 0x30)
            } else {
                exp10 += 1
                exact = false
            }
            digits += 1
            i += 1
        }
        if i < end && p[i] == 0x2E {
            i += 1
            while i < end, p[i] &- 0x30 < 10 {
                if mantissa < 1_000_000_000_000_000_000 {
                    mantissa = mantissa &* 10 &+ UInt64(p[i] &- 0x30)
                    exp10 -= 1
                } else {
                    exact = false
                }
                digits += 1
                i += 1
            }
        }
        guard digits > 0 else { return nil }
        if i < end && (p[i] == 0x65 || p[i] == 0x45) {
            i += 1
            let expNegative = i < end && p[i] == 0x2D
            if i < end && (p[i] == 0x2D || p[i] == 0x2B) { i += 1 }
            let expStart = i
            var e = 0
            while i < end, p[i] &- 0x30 < 10 {
                if e < 100_000 { e = e * 10 + Int(p[i] &- 0x30) }
                i += 1
            }
            guard i > expStart else { return nil }
            exp10 += expNegative ? -e : e
        }
        guard i == end else { return nil }
        var result: Double
        if exact && mantissa <= 1 << 53 && exp10 >= -22 && exp10 <= 22 {
            result = Double(mantissa)
            result = exp10 >= 0 ? result * powersOfTen[exp10] : result / powersOfTen[-exp10]
            if negative { result = -result }
        } else {
            result = slowFloat(p, start, end)
        }
        return result.isFinite ? result : nil
    }

    /// Correctly rounded parse of already validated decimal text: C `strtod` on a
    /// NUL-terminated stack copy (no heap allocation), or the standard library for long text.
    private static func slowFloat(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double {
        let count = end - start
        guard count < 64 else {
            return Double(String(decoding: UnsafeBufferPointer(start: p + start, count: count), as: UTF8.self)) ?? .nan
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buf in
            guard let base = buf.baseAddress else { return .nan }
            UnsafeMutableRawPointer(base).copyMemory(from: p + start, byteCount: count)
            base[count] = 0
            return strtod(base, nil)
        }
    }

    /// Exact powers of ten 1e0...1e22.
    static let powersOfTen: [Double] = (0...22).map { i in (0..<i).reduce(1.0) { a, _ in a * 10 } }

    /// An integer timestamp in `precision` as ms, floored; nil when malformed or out of range.
    static func timestampMillis(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ precision: LineProtocolPrecision) -> Int64? {
        guard let v = integer(p, start, end) else { return nil }
        func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
            let q = a / b
            return (a % b != 0 && a < 0) ? q - 1 : q
        }
        switch precision {
        case .nanoseconds: return floorDiv(v, 1_000_000)
        case .microseconds: return floorDiv(v, 1000)
        case .milliseconds: return v
        case .seconds:
            let (ms, overflow) = v.multipliedReportingOverflow(by: 1000)
            return overflow ? nil : ms
        }
    }
}
