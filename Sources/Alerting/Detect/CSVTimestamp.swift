/// Timestamp parsing for `DetectCSV`: epoch numbers (unit by magnitude) or RFC 3339, to ms.
enum CSVTimestamp {
    /// Parses `text` to epoch ms; nil when it is neither an epoch number nor RFC 3339.
    ///
    /// Numbers: |x| < 1e11 seconds, < 1e14 milliseconds, < 1e17 microseconds, else nanoseconds.
    static func parse(_ text: Substring.UTF8View) -> Int64? {
        guard let first = text.first else { return nil }
        if text.count > 10, text.contains(UInt8(ascii: "T")) || text.contains(UInt8(ascii: "t")) || text.contains(UInt8(ascii: " ")) {
            return rfc3339(Array(text))
        }
        if text.allSatisfy({ $0 >= 48 && $0 <= 57 })
            || (first == UInt8(ascii: "-") && text.count > 1 && text.dropFirst().allSatisfy({ $0 >= 48 && $0 <= 57 }))
        {
            guard let n = Int64(Substring(text)) else { return nil }
            let m = n.magnitude
            if m < 100_000_000_000 { return n * 1000 }
            if m < 100_000_000_000_000 { return n }
            if m < 100_000_000_000_000_000 { return n / 1000 }
            return n / 1_000_000
        }
        guard let x = Double(Substring(text)), x.isFinite else { return nil }
        let a = abs(x)
        let ms = a < 1e11 ? x * 1000 : a < 1e14 ? x : a < 1e17 ? x / 1000 : x / 1e6
        guard abs(ms) < 9e18 else { return nil }
        return Int64(ms.rounded())
    }

    /// `YYYY-MM-DD(T|t| )HH:MM:SS(.fraction)?(Z|z|±HH:MM)`.
    static func rfc3339(_ b: [UInt8]) -> Int64? {
        var i = 0
        func number(_ digits: Int) -> Int64? {
            guard i + digits <= b.count else { return nil }
            var v: Int64 = 0
            for _ in 0..<digits {
                let c = b[i]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
                i += 1
            }
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let y = number(4), expect(UInt8(ascii: "-")), let mo = number(2), expect(UInt8(ascii: "-")), let d = number(2) else {
            return nil
        }
        guard i < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == UInt8(ascii: " ") else { return nil }
        i += 1
        guard let h = number(2), expect(UInt8(ascii: ":")), let mi = number(2), expect(UInt8(ascii: ":")), let s = number(2) else {
            return nil
        }
        guard (1...12).contains(mo), d >= 1, d <= daysIn(month: mo, year: y), h <= 23, mi <= 59, s <= 60 else { return nil }
        var ms: Int64 = 0
        if expect(UInt8(ascii: ".")) {
            var scale: Int64 = 100
            var digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                ms += Int64(b[i] - 48) * scale
                scale /= 10
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
        }
        var offset: Int64 = 0
        guard i < b.count else { return nil }
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign: Int64 = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = number(2), expect(UInt8(ascii: ":")), let om = number(2), oh <= 23, om <= 59 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = daysFromCivil(y, mo, d)
        return ((days * 86_400 + h * 3600 + mi * 60 + s) - offset) * 1000 + ms
    }

    private static func daysIn(month m: Int64, year y: Int64) -> Int64 {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
