/// PromQL durations: "1h30m", "500ms", "2w"; units in descending order, each at most once.
enum Duration {
    private static let units: [(String, Int64)] = [
        ("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000), ("h", 3_600_000),
        ("m", 60_000), ("s", 1_000), ("ms", 1),
    ]

    /// The longest accepted duration, about 285,000 years.
    static let limit: Int64 = 1 << 53

    /// Milliseconds, or nil when the text is not a valid duration.
    static func parse(_ s: String) -> Int64? {
        var total: Int64 = 0
        var nextUnit = 0
        var chars = Substring(s)
        guard !chars.isEmpty else { return nil }
        while !chars.isEmpty {
            let digits = chars.prefix { $0.isASCII && $0.isNumber }
            chars = chars.dropFirst(digits.count)
            let unitText = chars.prefix { $0.isLetter }
            chars = chars.dropFirst(unitText.count)
            guard let n = Int64(digits),
                let u = units[nextUnit...].firstIndex(where: { $0.0 == unitText })
            else { return nil }
            let (product, o1) = n.multipliedReportingOverflow(by: units[u].1)
            let (sum, o2) = total.addingReportingOverflow(product)
            // Bounded well below Int64 so window arithmetic (t - range - offset) cannot overflow.
            guard !o1, !o2, sum <= limit else { return nil }
            total = sum
            nextUnit = u + 1
        }
        return total
    }

    /// The shortest canonical text of `ms` ("1h30m", "0s").
    static func format(_ ms: Int64) -> String {
        if ms == 0 { return "0s" }
        var rest = ms < 0 ? -ms : ms
        var out = ms < 0 ? "-" : ""
        for (name, size) in units where rest >= size {
            out += "\(rest / size)\(name)"
            rest %= size
        }
        return out
    }
}
