/// A bad row of the input CSV: 1-based line number and what is wrong.
public struct DetectCSVError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var reason: String

    /// "line N: reason".
    public var description: String { "line \(line): \(reason)" }
}

/// The `tsdb detect` core: CSV `timestamp,value` in, `timestamp,value,anomaly_score,alert` out.
///
/// Input: a header line `timestamp,value`, then one row per point; timestamps are epoch numbers
/// (|x| < 1e11 s, < 1e14 ms, < 1e17 µs, else ns) or RFC 3339; blank lines are skipped; `\r\n`
/// line ends are accepted. Output: one row per input row in order, timestamp and value exactly
/// as given, the score with 4 decimals and the alert as 0/1 (`AnomalyAlerter`).
public enum DetectCSV {
    /// The output header line (without newline).
    public static let outputHeader = "timestamp,value,anomaly_score,alert"

    /// Scores `input` and writes the output rows to `output`; returns the number of data rows.
    /// Throws on the first bad row (nothing after it is written).
    @discardableResult
    public static func run<Out: TextOutputStream>(input: String, settings: DetectorSettings = DetectorSettings(), to output: inout Out)
        throws(DetectCSVError) -> Int
    {
        let bytes = input.utf8
        var alerter = AnomalyAlerter(settings: settings, key: "csv")
        var lineNumber = 0
        var rows = 0
        var sawHeader = false
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            lineNumber += 1
            var line = bytes[start..<end]
            start = end < bytes.endIndex ? bytes.index(after: end) : end
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
            guard let comma = line.firstIndex(of: UInt8(ascii: ",")) else {
                throw DetectCSVError(
                    line: lineNumber, reason: sawHeader ? "expected 2 columns (timestamp,value)" : "missing header timestamp,value")
            }
            let first = trimmed(line[..<comma])
            let second = trimmed(line[line.index(after: comma)...])
            guard sawHeader else {
                guard lowercase(first) == "timestamp", lowercase(second) == "value" else {
                    throw DetectCSVError(line: lineNumber, reason: "header must be timestamp,value")
                }
                sawHeader = true
                output.write(outputHeader + "\n")
                continue
            }
            guard !second.contains(UInt8(ascii: ",")) else {
                throw DetectCSVError(line: lineNumber, reason: "expected 2 columns (timestamp,value)")
            }
            guard let ts = CSVTimestamp.parse(first) else {
                throw DetectCSVError(line: lineNumber, reason: "bad timestamp '\(String(Substring(first)))'")
            }
            guard let value = Double(Substring(second)), value.isFinite else {
                throw DetectCSVError(line: lineNumber, reason: "bad value '\(String(Substring(second)))'")
            }
            let r = alerter.observe(timestamp: ts, value: value)
            output.write(String(Substring(first)))
            output.write(",")
            output.write(String(Substring(second)))
            output.write(",")
            output.write(format4(r.score.score))
            output.write(r.alert ? ",1\n" : ",0\n")
            rows += 1
        }
        guard sawHeader else { throw DetectCSVError(line: max(1, lineNumber), reason: "missing header timestamp,value") }
        return rows
    }

    private static func trimmed(_ s: Substring.UTF8View) -> Substring.UTF8View {
        var s = s
        while let f = s.first, f == 32 || f == 9 { s = s.dropFirst() }
        while let l = s.last, l == 32 || l == 9 { s = s.dropLast() }
        return s
    }

    private static func lowercase(_ s: Substring.UTF8View) -> String { String(Substring(s)).lowercased() }

    /// `x` in [0, 1] with exactly 4 decimals, without Foundation formatting.
    static func format4(_ x: Double) -> String {
        let n = Int((min(max(x, 0), 1) * 10_000).rounded())
        let frac = n % 10_000
        let digits = String(frac)
        return "\(n / 10_000)." + String(repeating: "0", count: 4 - digits.count) + digits
    }
}
