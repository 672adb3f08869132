import TSDB

/// Timestamp parsing for `DetectCSV`, exactly as for events (TSDB's `TimestampNormalizer`):
/// epoch numbers with the unit picked by magnitude (|x| < 1e11 seconds, < 1e14 ms, < 1e17 µs,
/// else ns; sub-millisecond parts floored) or RFC 3339, to ms.
enum CSVTimestamp {
    /// Parses `text` to epoch ms; nil when it is neither an epoch number nor RFC 3339.
    static func parse(_ text: Substring.UTF8View) -> Int64? {
        let s = Substring(text)
        if s.utf8.count > 10, s.contains(where: { $0 == "T" || $0 == "t" || $0 == " " }) {
            return TimestampNormalizer.milliseconds(rfc3339: s)
        }
        return TimestampNormalizer.milliseconds(fromDigits: s)
    }
}
