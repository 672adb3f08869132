import Foundation
import Testing

@testable import Alerting

@Suite struct DetectCSVTests {
    private func csv(_ n: Int, seed: UInt64, format: (Int) -> String) -> (String, [String]) {
        var rng = DetectionRNG(seed: seed)
        var rows: [String] = []
        for i in 0..<n { rows.append("\(format(i)),\(String(format: "%.3f", 50 + rng.normal()))") }
        return ("timestamp,value\n" + rows.joined(separator: "\n") + "\n", rows)
    }

    @Test func roundTripKeepsRowsInOrder() throws {
        let (input, rows) = csv(300, seed: 1) { "\(1_700_000_000 + $0 * 60)" }
        var out = ""
        let n = try DetectCSV.run(input: input, to: &out)
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(n == 300 && lines.count == 301)
        #expect(lines.first == "timestamp,value,anomaly_score,alert")
        for (line, row) in zip(lines.dropFirst(), rows) {
            #expect(line.hasPrefix(row + ","))
            let parts = line.split(separator: ",")
            #expect(parts.count == 4 && parts[2].count == 6 && (parts[3] == "0" || parts[3] == "1"))
        }
        // Same scores as running the alerter directly.
        var a = AnomalyAlerter(key: "csv")
        for (i, line) in lines.dropFirst().enumerated() {
            let v = Double(rows[i].split(separator: ",")[1])!
            let r = a.observe(timestamp: Int64(1_700_000_000 + i * 60) * 1000, value: v)
            #expect(line.split(separator: ",")[2] == Substring(DetectCSV.format4(r.score.score)))
        }
    }

    @Test(
        arguments: [
            ("1700000000", 1_700_000_000_000), ("1700000000123", 1_700_000_000_123),
            ("1700000000123456", 1_700_000_000_123), ("1700000000123456789", 1_700_000_000_123),
            ("1700000000.5", 1_700_000_000_500), ("2023-11-14T22:13:20Z", 1_700_000_000_000),
            ("2023-11-14T22:13:20.25Z", 1_700_000_000_250), ("2023-11-15T00:13:20+02:00", 1_700_000_000_000),
            ("2023-11-14 22:13:20z", 1_700_000_000_000), ("2024-02-29T00:00:00Z", 1_709_164_800_000),
        ] as [(String, Int64)])
    func timestamps(text: String, ms: Int64) {
        #expect(CSVTimestamp.parse(Substring(text).utf8) == ms)
    }

    @Test(arguments: ["2023-02-29T00:00:00Z", "2023-11-14T25:00:00Z", "2023-11-14T22:13:20", "abc", "", "12x", "2023-11-14T22:13:20.Z"])
    func badTimestamps(text: String) {
        #expect(CSVTimestamp.parse(Substring(text).utf8) == nil)
    }

    @Test(
        arguments: [
            ("timestamp,value\n1,2\nx,3\n", 3, "bad timestamp"),
            ("timestamp,value\n1,2\n2,abc\n", 3, "bad value"),
            ("timestamp,value\n1,2\n2\n", 3, "expected 2 columns"),
            ("timestamp,value\n1,2,3\n", 2, "expected 2 columns"),
            ("time,val\n1,2\n", 1, "header"),
            ("", 1, "missing header"),
            ("timestamp,value\n1,inf\n", 2, "bad value"),
        ] as [(String, Int, String)])
    func badRowsThrowWithLineNumbers(input: String, line: Int, reason: String) {
        var out = ""
        do {
            try DetectCSV.run(input: input, to: &out)
            Issue.record("no error")
        } catch {
            #expect(error.line == line && error.reason.contains(reason))
        }
    }

    @Test func crlfBlankLinesAndRFC3339() throws {
        let input = "timestamp , value\r\n\r\n2023-11-14T22:13:20Z,1.5\r\n2023-11-14T22:14:20Z,2\r\n"
        var out = ""
        #expect(try DetectCSV.run(input: input, to: &out) == 2)
        #expect(out == "timestamp,value,anomaly_score,alert\n2023-11-14T22:13:20Z,1.5,0.0000,0\n2023-11-14T22:14:20Z,2,0.0000,0\n")
    }

    @Test func format4() {
        #expect(DetectCSV.format4(0) == "0.0000")
        #expect(DetectCSV.format4(0.12345) == "0.1235" || DetectCSV.format4(0.12345) == "0.1234")
        #expect(DetectCSV.format4(0.99999) == "1.0000")
        #expect(DetectCSV.format4(0.05) == "0.0500")
    }
}
