import Foundation
import Testing

@testable import TSDB

struct LineScannerTests {
    static func withTempFile(_ bytes: [UInt8], _ body: (String) throws -> Void) throws {
        let path = NSTemporaryDirectory() + "linescanner-\(UUID().uuidString).jsonl"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(path)
    }

    static func lines(_ path: String, chunk: Int, maxLine: Int = 1 << 20) throws -> [(String, Int)] {
        let scanner = try LineScanner(path: path, chunkSize: chunk, maxLineLength: maxLine)
        var out: [(String, Int)] = []
        try scanner.forEachLine { line, number in out.append((String(decoding: line, as: UTF8.self), number)) }
        #expect(scanner.bytesRead == scanner.fileSize)
        return out
    }

    /// Reference split: on "\n", one trailing "\r" stripped, no empty last line, BOM dropped.
    static func reference(_ bytes: [UInt8]) -> [String] {
        var b = bytes[...]
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b = b.dropFirst(3) }
        var parts = b.split(separator: 0x0A, omittingEmptySubsequences: false).map { part in
            String(decoding: part.last == 0x0D ? part.dropLast() : part, as: UTF8.self)
        }
        if b.last == 0x0A || b.isEmpty { parts.removeLast() }
        return parts
    }

    @Test(arguments: [1, 2, 3, 7, 64, 4 << 20])
    func splitsLikeTheReference(chunk: Int) throws {
        var rng = EventsTestRNG(seed: UInt64(chunk))
        for _ in 0..<20 {
            var bytes: [UInt8] = rng.chance(0.2) ? [0xEF, 0xBB, 0xBF] : []
            for _ in 0..<rng.int(0..<40) {
                bytes += (0..<rng.int(0..<30)).map { _ in rng.pick(Array("ab{}\" é\r".utf8)) }
                bytes += rng.chance(0.3) ? [0x0D, 0x0A] : [0x0A]
            }
            if rng.chance(0.5) { bytes += Array("last line without newline".utf8) }
            try Self.withTempFile(bytes) { path in
                let got = try Self.lines(path, chunk: chunk)
                #expect(got.map(\.0) == Self.reference(bytes))
                #expect(got.map(\.1) == Array(1..<(got.count + 1)))
            }
        }
    }

    @Test func emptyFileAndSingleNewline() throws {
        try Self.withTempFile([]) { path in
            let got = try Self.lines(path, chunk: 4)
            #expect(got.isEmpty)
        }
        try Self.withTempFile([0x0A]) { path in
            let got = try Self.lines(path, chunk: 4)
            #expect(got.count == 1 && got[0].0 == "" && got[0].1 == 1)
        }
    }

    @Test func longLinesGrowTheBufferUpToTheLimit() throws {
        let long = String(repeating: "x", count: 10_000)
        try Self.withTempFile(Array("a\n\(long)\nb".utf8)) { path in
            let got = try Self.lines(path, chunk: 16)
            #expect(got.map(\.0) == ["a", long, "b"])
            #expect(throws: LineScannerError.lineTooLong(path: path, line: 2, limit: 1000)) {
                _ = try Self.lines(path, chunk: 16, maxLine: 1000)
            }
        }
    }

    @Test func missingFileThrows() {
        #expect(throws: LineScannerError.open(path: "/nonexistent/x.jsonl", errno: ENOENT)) {
            _ = try LineScanner(path: "/nonexistent/x.jsonl")
        }
    }

    @Test func importsAFileOfEvents() throws {
        var bytes: [UInt8] = []
        var events: [MetricEvent] = []
        var rng = EventsTestRNG(seed: 77)
        for i in 0..<500 {
            let e = MetricEvent(
                labels: Labels(type: "t", service: "s\(i % 7)", tags: ["k": "\(i % 3)"]),
                timestamp: 1_764_420_000_000 + Int64(i), value: Double(bitPattern: rng.next() >> 2))
            events.append(e)
            EventWriter.appendLine(e, to: &bytes)
        }
        try Self.withTempFile(bytes) { path in
            let parser = EventParser()
            var got: [MetricEvent] = []
            try LineScanner(path: path, chunkSize: 333).forEachLine { line, _ in got.append(try parser.parse(line)) }
            #expect(got == events)
        }
    }
}
