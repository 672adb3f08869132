import Foundation
import Testing

@testable import Consumer

struct DeadLetterTests {
    static let letter = DeadLetter(
        topic: "metrics", partition: 3, offset: 123_456_789_012, key: [0, 0xFF, 0x41],
        value: Array("{\"bad\n\u{0}\u{1F}\"é".utf8) + [0xFF], reason: "invalid_json",
        message: "invalid JSON at byte 1: \"quoted\" \\ and\nnewline", time: 1_764_420_000_123)

    @Test func jsonIsOneLineAndParsesBack() throws {
        let bytes = Self.letter.json()
        #expect(!bytes.contains(0x0A))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["topic"] as? String == "metrics")
        #expect((object["partition"] as? NSNumber)?.int32Value == 3)
        #expect((object["offset"] as? NSNumber)?.int64Value == 123_456_789_012)
        #expect(object["reason"] as? String == "invalid_json")
        #expect(object["message"] as? String == Self.letter.message)
        #expect((object["time_ms"] as? NSNumber)?.int64Value == 1_764_420_000_123)
        #expect(Data(base64Encoded: object["value_base64"] as? String ?? "").map { [UInt8]($0) } == Self.letter.value)
        #expect(Data(base64Encoded: object["key_base64"] as? String ?? "").map { [UInt8]($0) } == Self.letter.key)
        #expect(DeadLetter(json: bytes) == Self.letter)
    }

    @Test func nilKeyAndRejectionInit() throws {
        let l = DeadLetter(topic: "t", partition: 0, offset: 0, key: nil, value: [], rejection: .emptyMessage, time: 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(l.json())) as? [String: Any])
        #expect(object["key_base64"] is NSNull)
        #expect(l.reason == "empty_message")
        #expect(DeadLetter(json: l.json()) == l)
        #expect(DeadLetter(json: Array("{\"topic\":1}".utf8)) == nil)
    }

    @Test func fileSinkAppendsJSONLines() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dlq-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            .path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sink = DeadLetterFileSink(dataDirectory: dir)
        #expect(sink.path(forTopic: "metrics") == dir + "/dlq/metrics.jsonl")
        #expect(sink.path(forTopic: "a/../b") == dir + "/dlq/a_.._b.jsonl")
        #expect(sink.path(forTopic: "..") == dir + "/dlq/_...jsonl")

        var second = Self.letter
        second.offset += 1
        var other = Self.letter
        other.topic = "events"
        sink.append(Self.letter)
        sink.append(other)
        try sink.flush()
        sink.append(second)
        try sink.flush()
        try sink.flush()

        func lines(_ topic: String) throws -> [DeadLetter?] {
            let text = try String(contentsOfFile: sink.path(forTopic: topic), encoding: .utf8)
            #expect(text.hasSuffix("\n"))
            return text.split(separator: "\n").map { DeadLetter(json: Array($0.utf8)) }
        }
        #expect(try lines("metrics") == [Self.letter, second])
        #expect(try lines("events") == [other])

        // A second sink (a restart) appends to the same file.
        let again = DeadLetterFileSink(dataDirectory: dir)
        again.append(second)
        try again.flush()
        #expect(try lines("metrics").count == 3)
    }

    @Test func fileSinkReportsErrors() {
        let sink = DeadLetterFileSink(dataDirectory: "/nonexistent-\(getpid())/data")
        sink.append(Self.letter)
        #expect(throws: DeadLetterFileError.self) { try sink.flush() }
    }
}
