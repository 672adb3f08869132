import Testing

@testable import TSDB

/// Table of accepted lines and the exact events they give.
struct EventParserValidTests {
    static let base =
        #"{"service":"recommendation-api","type":"api_latency_ms","value":123.4,"timestamp":1764420000123,"tags":{"endpoint":"/recommend","status":"200"}}"#
    static let labels = Labels(type: "api_latency_ms", service: "recommendation-api", tags: ["endpoint": "/recommend", "status": "200"])

    static func ev(_ value: Double, _ ts: Int64, _ labels: Labels = EventParserValidTests.labels) -> MetricEvent {
        MetricEvent(labels: labels, timestamp: ts, value: value)
    }
    static func simple(_ tags: [String: String] = [:], service: String = "s", type: String = "t") -> Labels {
        Labels(type: type, service: service, tags: tags)
    }
    static func line(value: String = "1", ts: String = "1764420000123", tags: String = "") -> String {
        #"{"service":"s","type":"t","value":"# + value + #","timestamp":"# + ts + tags + "}"
    }

    static let cases: [(String, MetricEvent)] = [
        (base, ev(123.4, 1_764_420_000_123)),
        // Key orders, whitespace, CRLF, extra keys.
        (
            #"{"tags":{"status":"200","endpoint":"/recommend"},"timestamp":1764420000123,"value":123.4,"type":"api_latency_ms","service":"recommendation-api"}"#,
            ev(123.4, 1_764_420_000_123)
        ),
        (
            " \t{ \"service\" :\r\n\"recommendation-api\" , \"type\":\t\"api_latency_ms\",\"value\" : 123.4 ,\"timestamp\":1764420000123,\"tags\" : { \"endpoint\" : \"/recommend\" , \"status\":\"200\" } } \r",
            ev(123.4, 1_764_420_000_123)
        ),
        (
            #"{"x":{"a":[1,2,{"b":"\"}"}],"c":null},"service":"s","y":[],"type":"t","z":"\u00e9\ud83d\ude00","value":1,"w":-1.5e-3,"timestamp":1764420000123,"v":true,"u":false,"q":{}}"#,
            ev(1, 1_764_420_000_123, simple())
        ),
        // Timestamps by magnitude.
        (line(ts: "1764420000"), ev(1, 1_764_420_000_000, simple())),
        (line(ts: "1764420000.123"), ev(1, 1_764_420_000_123, simple())),
        (line(ts: "1764420000.1239"), ev(1, 1_764_420_000_123, simple())),
        (line(ts: "1764420000123456"), ev(1, 1_764_420_000_123, simple())),
        (line(ts: "1764420000123456789"), ev(1, 1_764_420_000_123, simple())),
        (line(ts: "1.764420000123e12"), ev(1, 1_764_420_000_123, simple())),
        (line(ts: "1.764420000123E+9"), ev(1, 1_764_420_000_123, simple())),
        (line(ts: "0"), ev(1, 0, simple())),
        (line(ts: "-0.0005"), ev(1, -1, simple())),
        (line(ts: "-1.5"), ev(1, -1500, simple())),
        (line(ts: "99999999999"), ev(1, 99_999_999_999_000, simple())),
        (line(ts: "100000000000"), ev(1, 100_000_000_000, simple())),
        (line(ts: "99999999999999"), ev(1, 99_999_999_999_999, simple())),
        (line(ts: "100000000000000"), ev(1, 100_000_000_000, simple())),
        (line(ts: "100000000000000000"), ev(1, 100_000_000_000, simple())),
        (line(ts: "-1764420000123456789"), ev(1, -1_764_420_000_124, simple())),
        (line(ts: "1764420000123456789123"), ev(1, 1_764_420_000_123_456, simple())),
        (line(ts: #""2025-11-29T12:00:00.123Z""#), ev(1, 1_764_417_600_123, simple())),
        (line(ts: #""2025-11-29t12:00:00z""#), ev(1, 1_764_417_600_000, simple())),
        (line(ts: #""2025-11-29 13:00:00.1+01:00""#), ev(1, 1_764_417_600_100, simple())),
        (line(ts: #""2025-11-29T06:30:00.123456789-05:30""#), ev(1, 1_764_417_600_123, simple())),
        (line(ts: #""1969-12-31T23:59:59.999Z""#), ev(1, -1, simple())),
        (line(ts: #""2024-02-29T00:00:00Z""#), ev(1, 1_709_164_800_000, simple())),
        (line(ts: #""2025-11-29T12:00:00\u002e5Z""#), ev(1, 1_764_417_600_500, simple())),
        // Values.
        (line(value: "-0"), ev(-0.0, 1_764_420_000_123, simple())),
        (line(value: "0.1"), ev(0.1, 1_764_420_000_123, simple())),
        (line(value: "0.30000000000000004"), ev(0.30000000000000004, 1_764_420_000_123, simple())),
        (line(value: "5e-324"), ev(.leastNonzeroMagnitude, 1_764_420_000_123, simple())),
        (line(value: "1e-400"), ev(0, 1_764_420_000_123, simple())),
        (line(value: "1.7976931348623157e308"), ev(.greatestFiniteMagnitude, 1_764_420_000_123, simple())),
        (line(value: "9007199254740993"), ev(9_007_199_254_740_992, 1_764_420_000_123, simple())),
        (line(value: "1.00000000000000011102230246251565404236316680908203126"), ev(1.0000000000000002, 1_764_420_000_123, simple())),
        (line(value: #""NaN""#), ev(.nan, 1_764_420_000_123, simple())),
        (line(value: #""Inf""#), ev(.infinity, 1_764_420_000_123, simple())),
        (line(value: #""+Inf""#), ev(.infinity, 1_764_420_000_123, simple())),
        (line(value: #""-Inf""#), ev(-.infinity, 1_764_420_000_123, simple())),
        // Tags: numbers and bools by their text, empty values dropped, null/{} mean none.
        (
            line(tags: #","tags":{"code":200,"ratio":2.50,"ok":true,"bad":false,"e":1E2,"empty":""}"#),
            ev(1, 1_764_420_000_123, simple(["code": "200", "ratio": "2.50", "ok": "true", "bad": "false", "e": "1E2"]))
        ),
        (line(tags: #","tags":null"#), ev(1, 1_764_420_000_123, simple())),
        (line(tags: #","tags":{}"#), ev(1, 1_764_420_000_123, simple())),
        // Escapes in every string position.
        (
            #"{"\u0073ervice":"a\"b\\c\/d\b\f\n\r\t\u0000\u00e9\u20ac\ud834\udd1e","type":"t\u00E9","value":1,"timestamp":1764420000123,"tags":{"k\u00e9":"v\n"}}"#,
            ev(1, 1_764_420_000_123, simple(["ké": "v\n"], service: "a\"b\\c/d\u{08}\u{0C}\n\r\t\u{0}é€𝄞", type: "té"))
        ),
        ("{\"service\":\"é€😀\",\"type\":\"t\",\"value\":1,\"timestamp\":1764420000123}", ev(1, 1_764_420_000_123, simple(service: "é€😀"))),
    ]

    @Test(arguments: 0..<cases.count)
    func parsesValidLine(_ i: Int) throws {
        let (line, expected) = Self.cases[i]
        let parser = EventParser()
        let event = try parser.parse(line)
        #expect(event == expected, "line: \(line)")
        // A second parse is served from the label cache and must give the same event.
        #expect(try parser.parse(line) == expected)
    }

    @Test func cacheIsBoundedAndStillCorrect() throws {
        let parser = EventParser(labelCacheLimit: 4)
        for round in 0..<3 {
            for i in 0..<20 {
                let line = #"{"service":"s\#(i)","type":"t","value":\#(round),"timestamp":1764420000123,"tags":{"i":"\#(i)"}}"#
                let e = try parser.parse(line)
                #expect(e.labels == Labels(type: "t", service: "s\(i)", tags: ["i": "\(i)"]))
                #expect(e.value == Double(round))
            }
        }
    }
}
