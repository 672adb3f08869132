/// Turns event timestamps into Int64 milliseconds since the Unix epoch.
///
/// Numbers pick their unit by magnitude: |t| < 1e11 seconds (fractions allowed), < 1e14 ms,
/// < 1e17 µs, otherwise ns. Sub-millisecond parts are dropped by rounding toward negative
/// infinity (floor), so -0.0005 s is -1 ms. The arithmetic is exact on the decimal digits.
public enum TimestampNormalizer {
    /// Milliseconds for a numeric timestamp given as a Double (read as its shortest decimal form).
    public static func milliseconds(fromNumber value: Double) -> Int64? {
        guard value.isFinite else { return nil }
        return milliseconds(fromDigits: value.description)
    }

    /// Milliseconds for a numeric timestamp in JSON number syntax, e.g. "1764420000.123".
    public static func milliseconds(fromDigits text: some StringProtocol) -> Int64? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buf -> Int64? in
            guard let base = buf.baseAddress else { return nil }
            var cursor = JSONCursor(base, count: buf.count)
            guard let n = try? cursor.scanNumber(), cursor.pos == buf.count else { return nil }
            return milliseconds(n)
        }
    }

    /// Milliseconds for an RFC 3339 date-time such as "2025-11-29T12:00:00.123Z".
    public static func milliseconds(rfc3339 text: some StringProtocol) -> Int64? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { milliseconds(rfc3339Bytes: $0) }
    }

    /// Exact decimal → ms conversion; nil when the result does not fit in Int64.
    static func milliseconds(_ n: JSONNumber) -> Int64? {
        if n.significand == 0 { return 0 }
        let m = n.magnitude
        let scale = m <= 11 ? 3 : m <= 14 ? 0 : m <= 17 ? -3 : -6
        let e = n.exponent + scale
        let q: UInt64
        var inexact = n.truncated
        if e >= 0 {
            guard e <= 19 else { return nil }
            let (p, overflow) = n.significand.multipliedReportingOverflow(by: jsonIntegerPowersOfTen[e])
            guard !overflow else { return nil }
            q = p
        } else if -e <= 19 {
            let p = jsonIntegerPowersOfTen[-e]
            q = n.significand / p
            inexact = inexact || n.significand % p != 0
        } else {
            q = 0
            inexact = true
        }
        if !n.negative { return q <= UInt64(Int64.max) ? Int64(q) : nil }
        let down = q &+ (inexact ? 1 : 0)  // floor of a negative value
        guard down >= q, down <= Int64.min.magnitude else { return nil }
        return Int64(bitPattern: 0 &- down)
    }

    /// `YYYY-MM-DD(T|t| )HH:MM:SS[.fraction](Z|z|±HH:MM)`; fractions of any length are
    /// truncated to ms; leap second 60 is rejected; years 0000-9999.
    static func milliseconds(rfc3339Bytes s: UnsafeRawBufferPointer) -> Int64? {
        func digits(_ at: Int, _ count: Int) -> Int? {
            guard at >= 0, at + count <= s.count else { return nil }
            var v = 0
            for i in at..<(at + count) {
                let d = s[i] &- 0x30
                guard d < 10 else { return nil }
                v = v * 10 + Int(d)
            }
            return v
        }
        func byte(_ i: Int) -> UInt8 { i < s.count ? s[i] : 0 }
        guard let year = digits(0, 4), byte(4) == 0x2D, let month = digits(5, 2), byte(7) == 0x2D,
            let day = digits(8, 2), byte(10) == 0x54 || byte(10) == 0x74 || byte(10) == 0x20,
            let hour = digits(11, 2), byte(13) == 0x3A, let minute = digits(14, 2), byte(16) == 0x3A,
            let second = digits(17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var i = 19
        var millis = 0
        if byte(i) == 0x2E {
            i += 1
            let start = i
            while byte(i) &- 0x30 < 10 {
                if i - start < 3 { millis = millis * 10 + Int(s[i] &- 0x30) }
                i += 1
            }
            guard i > start else { return nil }
            for _ in min(i - start, 3)..<3 { millis *= 10 }
        }
        var offsetSeconds = 0
        let z = byte(i)
        if z == 0x5A || z == 0x7A {
            i += 1
        } else if z == 0x2B || z == 0x2D {
            guard let oh = digits(i + 1, 2), byte(i + 3) == 0x3A, let om = digits(i + 4, 2), oh < 24, om < 60 else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (z == 0x2D ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == s.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Int64(seconds) * 1000 + Int64(millis)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
