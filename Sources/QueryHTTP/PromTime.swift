#if canImport(Glibc)
    import Glibc
#endif

/// Time and duration parameters as Prometheus's API reads them, in epoch milliseconds.
public enum PromTime {
    /// Wall-clock now, epoch ms.
    public static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// Largest |seconds| accepted, so that milliseconds fit an Int64 with room to spare.
    static let maxSeconds = 9.0e15

    /// Unix seconds (`1700000000`, `1700000000.123`) or RFC 3339 (`2023-11-14T22:13:20.5Z`,
    /// `...+02:00`); nil when neither.
    public static func parseTime(_ s: String) -> Int64? {
        if let seconds = Double(s), seconds.isFinite {
            guard seconds.magnitude <= maxSeconds else { return nil }
            return Int64((seconds * 1000).rounded())
        }
        return parseRFC3339(s)
    }

    /// As `parseTime`, plus `now`, `now-1h`, `now+30m` relative to `now` (for the CLI).
    public static func parseTime(_ s: String, now: Int64) -> Int64? {
        guard s.hasPrefix("now") else { return parseTime(s) }
        let rest = s.dropFirst(3)
        if rest.isEmpty { return now }
        guard let sign = rest.first, sign == "-" || sign == "+", let d = parseDuration(String(rest.dropFirst())) else { return nil }
        let (t, overflow) = sign == "-" ? now.subtractingReportingOverflow(d) : now.addingReportingOverflow(d)
        return overflow ? nil : t
    }

    /// Seconds as a float (`15`, `0.5`) or a Prometheus duration (`15s`, `1h30m`, `500ms`, `1d`,
    /// `2w`, `1y`); nil when neither. May be zero or negative (float form): callers check.
    public static func parseDuration(_ s: String) -> Int64? {
        if let seconds = Double(s), seconds.isFinite {
            guard seconds.magnitude <= maxSeconds else { return nil }
            return Int64((seconds * 1000).rounded())
        }
        return parseUnits(Array(s.utf8))
    }

    /// `1y2w3d4h5m6s7ms`: units in this order, each at most once (Prometheus `model.ParseDuration`).
    static func parseUnits(_ b: [UInt8]) -> Int64? {
        let units: [(String, Int64)] = [
            ("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000),
            ("ms", 1),
        ]
        guard !b.isEmpty else { return nil }
        var i = 0
        var total: Int64 = 0
        var nextUnit = 0
        while i < b.count {
            var n: Int64 = 0
            let start = i
            while i < b.count, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") {
                let (m, o1) = n.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(b[i] &- UInt8(ascii: "0")))
                if o1 || o2 { return nil }
                n = a
                i += 1
            }
            guard i > start else { return nil }
            var unitEnd = i
            while unitEnd < b.count, b[unitEnd] >= UInt8(ascii: "a"), b[unitEnd] <= UInt8(ascii: "z") { unitEnd += 1 }
            let unit = String(decoding: b[i..<unitEnd], as: UTF8.self)
            guard let k = units[nextUnit...].firstIndex(where: { $0.0 == unit }) else { return nil }
            let (p, o3) = n.multipliedReportingOverflow(by: units[k].1)
            let (sum, o4) = total.addingReportingOverflow(p)
            if o3 || o4 { return nil }
            total = sum
            nextUnit = k + 1
            i = unitEnd
        }
        return total
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, fraction truncated to milliseconds.
    public static func parseRFC3339(_ s: String) -> Int64? {
        let b = Array(s.utf8)
        func digits(_ at: Int, _ n: Int) -> Int64? {
            guard at >= 0, at + n <= b.count else { return nil }
            var v: Int64 = 0
            for i in at..<(at + n) {
                guard b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") else { return nil }
                v = v * 10 + Int64(b[i] &- UInt8(ascii: "0"))
            }
            return v
        }
        func char(_ at: Int, _ c: Character) -> Bool {
            at < b.count && Character(Unicode.Scalar(b[at])).lowercased() == c.lowercased()
        }
        guard b.count >= 20, let year = digits(0, 4), char(4, "-"), let month = digits(5, 2), char(7, "-"),
            let day = digits(8, 2), char(10, "T"), let hour = digits(11, 2), char(13, ":"), let minute = digits(14, 2),
            char(16, ":"), let second = digits(17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var millis: Int64 = 0
        if char(i, ".") {
            i += 1
            var scale: Int64 = 100
            let start = i
            while i < b.count, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") {
                millis += Int64(b[i] &- UInt8(ascii: "0")) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        var offsetMinutes: Int64 = 0
        if char(i, "Z") {
            i += 1
        } else if char(i, "+") || char(i, "-") {
            guard let oh = digits(i + 1, 2), char(i + 3, ":"), let om = digits(i + 4, 2), oh < 24, om < 60 else { return nil }
            offsetMinutes = (oh * 60 + om) * (char(i, "-") ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = daysFromCivil(year, month, day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
        return seconds * 1000 + millis
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
