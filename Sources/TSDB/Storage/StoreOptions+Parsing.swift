extension StoreOptions {
    /// Parses `500ms`, `15s`, `30m`, `24h`, `7d`, `2w`, or `0` (keep forever) into milliseconds.
    public static func parseDuration(_ text: String) -> Int64? {
        let s = String(text.filter { $0 != " " && $0 != "\t" }).lowercased()
        if s == "0" { return 0 }
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", minute), ("h", hour), ("d", day), ("w", 7 * day)]
        for (suffix, factor) in units where s.hasSuffix(suffix) {
            let number = s.dropLast(suffix.count)
            // "ms" must not be read as minutes of "m" + "s"; longer suffixes come first above.
            guard !number.isEmpty, let n = Int64(number), n >= 0 else { continue }
            let (product, overflow) = n.multipliedReportingOverflow(by: factor)
            return overflow ? nil : product
        }
        return nil
    }

    /// `1h30m`-free, human form of a duration in ms: the largest whole unit.
    public static func formatDuration(_ ms: Int64) -> String {
        if ms == 0 { return "0" }
        for (suffix, factor) in [("w", 7 * day), ("d", day), ("h", hour), ("m", minute), ("s", Int64(1000))] where ms % factor == 0 {
            return "\(ms / factor)\(suffix)"
        }
        return "\(ms)ms"
    }
}
