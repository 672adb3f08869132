import Foundation
import Testing

/// Seeded SplitMix64 with Gaussian draws, for the `tsdb detect` process tests.
struct DetectToolRNG {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func uniform() -> Double { Double(SplitMix64.next(&state) >> 11) / Double(1 << 53) }

    /// Box-Muller.
    mutating func gaussian() -> Double {
        let u = max(uniform(), 1e-300)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * uniform())
    }
}

/// Runs the built `tsdb detect` as a child process on generated CSV files.
@Suite struct DetectCommandTests {
    static let start: Int64 = 1_700_000_000_000
    static let shift = 1500..<1560

    /// Noise σ 1 around 100, one minute apart, with a +8σ level shift over `shift`.
    static func series(points: Int = 2000, seed: UInt64 = 7) -> [(t: String, v: String)] {
        var rng = DetectToolRNG(seed: seed)
        return (0..<points).map { i in
            let v = 100 + rng.gaussian() + (shift.contains(i) ? 8 : 0)
            return (String(start + Int64(i) * 60_000), String((v * 1000).rounded() / 1000))
        }
    }

    static func csv(_ rows: [(t: String, v: String)], lineEnd: String = "\n") -> String {
        "timestamp,value" + lineEnd + rows.map { $0.t + "," + $0.v + lineEnd }.joined()
    }

    static func write(_ text: String, in dir: TempDirectory, name: String = "series.csv") throws -> String {
        let path = dir.path + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Output rows split into columns, header removed (checked).
    static func rows(_ out: String) -> [[Substring]] {
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.first == "timestamp,value,anomaly_score,alert")
        return lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    }

    @Test func levelShiftRaisesAnAlertNearItAndRowsMatchTheInput() throws {
        let dir = TempDirectory()
        let input = Self.series()
        let path = try Self.write(Self.csv(input), in: dir)
        let r = try Tool.run(["detect", "--input", path])
        #expect(r.status == 0, "\(r.err)")
        let rows = Self.rows(r.out)
        try #require(rows.count == input.count)
        for (i, row) in rows.enumerated() {
            #expect(row.count == 4)
            #expect(row[0] == input[i].t && row[1] == input[i].v, "row \(i) does not echo its input")
            let score = try #require(Double(row[2]))
            #expect((0...1).contains(score) && row[2].count == 6, "row \(i): score '\(row[2])'")
            #expect(row[3] == "0" || row[3] == "1")
        }
        let alerts = rows.indices.filter { rows[$0][3] == "1" }
        #expect(!alerts.isEmpty && alerts.allSatisfy { $0 >= Self.shift.lowerBound }, "alerts at \(alerts)")
        #expect(alerts.contains { (Self.shift.lowerBound...Self.shift.lowerBound + 15).contains($0) }, "alerts at \(alerts)")
    }

    @Test func flagsChangeTheSettings() throws {
        let dir = TempDirectory()
        let path = try Self.write(Self.csv(Self.series()), in: dir)
        let defaults = Self.rows(try Tool.run(["detect", "--input", path]).out)
        // A score cannot exceed 1: nothing ever fires.
        let never = try Tool.run(["detect", "--input", path, "--alert-score", "1", "--critical-score", "1", "--for", "0s"])
        #expect(never.status == 0, "\(never.err)")
        let neverRows = Self.rows(never.out)
        #expect(neverRows.count == defaults.count && neverRows.allSatisfy { $0[3] == "0" })
        #expect(zip(neverRows, defaults).allSatisfy { $0[2] == $1[2] }, "alert settings must not change the scores")
        let settings = try Self.write(#"{"alert_score": 1, "criticalScore": 1, "for_duration": "0s"}"#, in: dir, name: "s.json")
        #expect(try Tool.run(["detect", "--input", path, "--settings", settings]).out == never.out)
        let typo = try Self.write(#"{"alert_scor": 0.9}"#, in: dir, name: "typo.json")
        let bad = try Tool.run(["detect", "--input", path, "--settings", typo])
        #expect(bad.status != 0 && bad.err.contains("alert_scor"), "\(bad.err)")
    }

    @Test func badRowExitsOneNamingFileAndLine() throws {
        let dir = TempDirectory()
        let path = try Self.write("timestamp,value\n1700000000000,1\n\n1700000060000,2\n1700000120000,abc\n1700000180000,4\n", in: dir)
        let r = try Tool.run(["detect", "--input", path])
        #expect(r.status == 1)
        #expect(r.err == "tsdb detect: \(path):5: bad value 'abc'\n", "\(r.err)")
        // Rows before the bad one are written (the blank line 3 is skipped).
        #expect(Self.rows(r.out).map { $0[0] } == ["1700000000000", "1700000060000"])
        let noHeader = try Self.write("1700000000000,1\n", in: dir, name: "nohead.csv")
        let h = try Tool.run(["detect", "--input", noHeader])
        #expect(h.status == 1 && h.err.hasPrefix("tsdb detect: \(noHeader):1: "), "\(h.err)")
    }

    @Test func readsStandardInputAndCRLF() throws {
        let tool = try #require(Tool.path, "build the tsdb executable first (swift build)")
        let input = Self.series(points: 300, seed: 3).enumerated().map { i, r in
            // RFC 3339 timestamps pass through as given.
            i % 2 == 0 ? r : (t: "2023-11-14T22:\(String(format: "%02d", i % 60)):00Z", v: r.v)
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = ["detect"]
        let stdin = Pipe()
        let stdout = Pipe()
        p.standardInput = stdin
        p.standardOutput = stdout
        p.standardError = FileHandle.nullDevice
        try p.run()
        stdin.fileHandleForWriting.write(Data(Self.csv(input, lineEnd: "\r\n").utf8))
        try stdin.fileHandleForWriting.close()
        let out = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let rows = Self.rows(out)
        #expect(rows.map { "\($0[0]),\($0[1])" } == input.map { "\($0.t),\($0.v)" })
    }
}
