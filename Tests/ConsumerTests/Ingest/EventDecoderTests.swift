import TSDB
import Testing

@testable import Consumer

struct EventDecoderTests {
    let decoder = EventDecoder(config: EventDecoderConfig(defaultServices: ["metrics": "topic-default"]))

    private func services(_ text: String, key: String?, header: String?, topic: String = "metrics") -> [String] {
        let headers = header.map { [KafkaHeader(name: "service", value: Array($0.utf8))] } ?? []
        let m = decoder.decode(Array(text.utf8), key: key.map { Array($0.utf8) }, headers: headers, topic: topic, ingestTime: 0)
        return m.events.map(\.labels.serviceName) + m.rejections.map(\.reason)
    }

    static let jsonWith = #"{"service":"own","type":"t","value":1,"timestamp":1764420000123}"#
    static let jsonWithout = #"{"type":"t","value":1,"timestamp":1764420000123,"tags":{"a":"b"}}"#
    static let lpWith = "cpu,service=own value=1 0"
    static let lpWithout = "cpu value=1 0"

    @Test(arguments: [jsonWith, lpWith])
    func ownServiceWins(_ text: String) {
        #expect(services(text, key: "key", header: "header") == ["own"])
    }

    @Test(arguments: [jsonWithout, lpWithout])
    func attributionOrder(_ text: String) {
        #expect(services(text, key: "key", header: "header") == ["key"])
        #expect(services(text, key: "", header: "header") == ["header"])
        #expect(services(text, key: nil, header: "header") == ["header"])
        #expect(services(text, key: nil, header: nil) == ["topic-default"])
        #expect(services(text, key: nil, header: "") == ["topic-default"])
        #expect(services(text, key: nil, header: nil, topic: "other") == ["missing_field"])
    }

    @Test func invalidUTF8KeyFallsThrough() {
        let m = decoder.decode(Array(Self.lpWithout.utf8), key: [0xFF, 0xFE], headers: [], topic: "metrics", ingestTime: 0)
        #expect(m.events.map(\.labels.serviceName) == ["topic-default"])
    }

    @Test func splicedJSONKeepsTagsAndValues() {
        for text in [Self.jsonWithout, "  { \"type\":\"t\",\"value\":1,\"timestamp\":1764420000123,\"tags\":{\"a\":\"b\"}} "] {
            let m = decoder.decode(Array(text.utf8), key: Array("k\"\\".utf8), topic: "metrics", ingestTime: 0)
            #expect(
                m.events == [
                    MetricEvent(labels: Labels(type: "t", service: "k\"\\", tags: ["a": "b"]), timestamp: 1_764_420_000_123, value: 1)
                ])
        }
        let empty = decoder.decode(Array("{}".utf8), key: Array("k".utf8), topic: "metrics", ingestTime: 0)
        #expect(empty.rejections == [.event(.missingField("type"), line: 0)])
    }

    @Test func multiLineMessagesKeepGoodLines() {
        let json = Self.jsonWith + "\n\n{bad\n" + Self.jsonWithout + "\r\n"
        let m = decoder.decode(Array(json.utf8), topic: "metrics", ingestTime: 0)
        #expect(m.format == .json)
        #expect(m.events.map(\.labels.serviceName) == ["own", "topic-default"])
        #expect(m.rejections.map(\.reason) == ["invalid_json"])
        if case .event(_, let line) = m.rejections.first { #expect(line == 2) }

        let lp = "# telegraf\ncpu,service=a value=1 0\ncpu value=oops 0\nmem,service=b used=2i,total=3i\n"
        let n = decoder.decode(Array(lp.utf8), topic: "metrics", ingestTime: 77)
        #expect(n.format == .lineProtocol)
        #expect(n.events.map(\.labels.metricType) == ["cpu", "mem_used", "mem_total"])
        #expect(n.events.map(\.timestamp) == [0, 77, 77])
        #expect(n.missingTimestamps == 1)
        #expect(n.rejections.map(\.detail) == ["bad_field_value"])
        if case .lineProtocol(let e) = n.rejections.first { #expect(e.line == 2) }
    }

    @Test(arguments: ["", "   \n\r\n", "# only a comment\n"])
    func emptyMessages(_ text: String) {
        let m = decoder.decode(Array(text.utf8), topic: "metrics", ingestTime: 0)
        #expect(m.events.isEmpty && m.rejections == [.emptyMessage])
    }

    @Test func rejectionReasonsOfJSON() {
        let cases: [(String, String)] = [
            (#"{"type":"t","value":1}"#, "missing_field"),
            (#"{"service":"s","type":"t","value":1,"timestamp":"yesterday"}"#, "bad_timestamp"),
            (#"{"service":"s","type":"t","value":1,"timestamp":1} x"#, "invalid_json"),
            (#"{"service":"s",}"#, "invalid_json"),
        ]
        for (text, reason) in cases {
            let m = decoder.decode(Array(text.utf8), topic: "metrics", ingestTime: 0)
            #expect(m.rejections.map(\.reason) == [reason], "\(text)")
        }
    }

    /// Random and mutated bytes never crash; every message yields events or typed rejections.
    @Test func randomBytesNeverCrash() {
        var rng = IngestTestRNG(seed: 42)
        let seeds = [Self.jsonWith, Self.jsonWithout, Self.lpWith, "m,a=b\\ c x=1i,y=\"s\\\"\",z=t 1764420000123456789"].map {
            Array($0.utf8)
        }
        let alphabet = Array(" ,=\\\"{}:\n\r#-.0123456789eEituf".utf8)
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0...64, using: &rng)).map { _ in
                    Bool.random(using: &rng) ? alphabet.randomElement(using: &rng) ?? 0 : UInt8.random(in: 0...255, using: &rng)
                }
            } else {
                bytes = seeds.randomElement(using: &rng) ?? []
                for _ in 0..<Int.random(in: 1...4, using: &rng) where !bytes.isEmpty {
                    let i = Int.random(in: 0..<bytes.count, using: &rng)
                    switch Int.random(in: 0...2, using: &rng) {
                    case 0: bytes[i] = alphabet.randomElement(using: &rng) ?? 0
                    case 1: bytes.remove(at: i)
                    default: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: i)
                    }
                }
            }
            let key: [UInt8]? = Bool.random(using: &rng) ? [UInt8.random(in: 0...255, using: &rng)] : nil
            let m = decoder.decode(bytes, key: key, topic: round % 3 == 0 ? "metrics" : "unknown", ingestTime: 1)
            #expect(!m.events.isEmpty || !m.rejections.isEmpty || m.skippedStringFields > 0)
            for r in m.rejections { #expect(!r.reason.isEmpty && !r.description.isEmpty) }
        }
    }
}
