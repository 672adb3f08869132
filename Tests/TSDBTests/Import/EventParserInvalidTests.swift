import Testing

@testable import TSDB

/// Table of rejected lines and the reason label each must give.
struct EventParserInvalidTests {
    static func line(service: String = #""s""#, value: String = "1", ts: String = "1764420000123", extra: String = "") -> String {
        #"{"service":"# + service + #","type":"t","value":"# + value + #","timestamp":"# + ts + extra + "}"
    }

    static let cases: [(String, String)] = [
        ("", "empty_line"),
        (" \t\r", "empty_line"),
        ("[1]", "not_an_object"),
        ("\"x\"", "not_an_object"),
        ("42", "not_an_object"),
        ("\u{FEFF}{}", "invalid_json"),
        ("{", "invalid_json"),
        ("{}", "missing_field"),
        (#"{"type":"t","value":1,"timestamp":1}"#, "missing_field"),
        (#"{"service":"s","value":1,"timestamp":1}"#, "missing_field"),
        (#"{"service":"s","type":"t","timestamp":1}"#, "missing_field"),
        (#"{"service":"s","type":"t","value":1}"#, "missing_field"),
        (line() + "x", "trailing_data"),
        (line() + "{}", "trailing_data"),
        (line(extra: ","), "invalid_json"),  // trailing comma
        (line(extra: #","x":[1,]"#), "invalid_json"),
        (line(extra: #","x":{"a":1,}"#), "invalid_json"),
        (line(extra: #","x":[1 2]"#), "invalid_json"),
        (line(extra: #","x":{"a" 1}"#), "invalid_json"),
        (line(extra: #","x":tru"#), "invalid_json"),
        (line(extra: #","x":nul"#), "invalid_json"),
        (line(extra: #","x":1e400"#), "invalid_json"),
        (line(extra: #","x":"\x""#), "invalid_json"),
        (line(extra: #","x":1,"x":2"#), "duplicate_field"),
        (line(extra: #","x":1,"\u0078":2"#), "duplicate_field"),
        (line(extra: #","service":"s""#), "duplicate_field"),
        (line(extra: #","\u0073ervice":"s""#), "duplicate_field"),
        (line(extra: #","value":1"#), "duplicate_field"),
        (line(extra: #","timestamp":1"#), "duplicate_field"),
        (line(extra: #","tags":{},"tags":{}"#), "duplicate_field"),
        (line(extra: #","tags":{"a":"1","a":"2"}"#), "duplicate_field"),
        (line(extra: #","tags":{"a":"1","\u0061":"2"}"#), "duplicate_field"),
        (line(extra: ",\"x\":" + String(repeating: "[", count: 600) + String(repeating: "]", count: 600)), "invalid_json"),
        // Strings.
        (line(service: #""""#), "empty_field"),
        (line(service: "1"), "wrong_type"),
        (line(service: "null"), "wrong_type"),
        (line(service: "{}"), "wrong_type"),
        (line(service: #""a"#), "invalid_json"),
        (line(service: "\"a\u{01}\""), "invalid_json"),
        (line(service: "\"a\tb\""), "invalid_json"),
        (line(service: #""\ud800""#), "invalid_json"),
        (line(service: #""\ud800\u0041""#), "invalid_json"),
        (line(service: #""\udc00""#), "invalid_json"),
        (line(service: #""\u12g4""#), "invalid_json"),
        (line(service: #""\a""#), "invalid_json"),
        (line(service: "'s'"), "invalid_json"),
        (#"{"service":"s","type":"","value":1,"timestamp":1}"#, "empty_field"),
        // Numbers.
        (line(value: "01"), "invalid_json"),
        (line(value: "-01"), "invalid_json"),
        (line(value: "+1"), "invalid_json"),
        (line(value: ".5"), "invalid_json"),
        (line(value: "1."), "invalid_json"),
        (line(value: "1e"), "invalid_json"),
        (line(value: "1e+"), "invalid_json"),
        (line(value: "-"), "invalid_json"),
        (line(value: "0x10"), "invalid_json"),
        (line(value: "NaN"), "invalid_json"),
        (line(value: "Infinity"), "invalid_json"),
        (line(value: "1e400"), "bad_value"),
        (line(value: "-1.8e308"), "bad_value"),
        (line(value: #""nan""#), "bad_value"),
        (line(value: #""1.5""#), "bad_value"),
        (line(value: "true"), "wrong_type"),
        (line(value: "null"), "wrong_type"),
        (line(value: "[1]"), "wrong_type"),
        // Timestamps.
        (line(ts: "1e400"), "bad_timestamp"),
        (line(ts: "1e30"), "bad_timestamp"),
        (line(ts: "-1e30"), "bad_timestamp"),
        (line(ts: "true"), "wrong_type"),
        (line(ts: #""2025-11-29""#), "bad_timestamp"),
        (line(ts: #""2025-11-29T12:00:00""#), "bad_timestamp"),
        (line(ts: #""2025-02-29T12:00:00Z""#), "bad_timestamp"),
        (line(ts: #""2025-13-01T12:00:00Z""#), "bad_timestamp"),
        (line(ts: #""2025-11-29T24:00:00Z""#), "bad_timestamp"),
        (line(ts: #""2025-11-29T12:60:00Z""#), "bad_timestamp"),
        (line(ts: #""2025-11-29T12:00:60Z""#), "bad_timestamp"),
        (line(ts: #""2025-11-29T12:00:00.Z""#), "bad_timestamp"),
        (line(ts: #""2025-11-29T12:00:00+0100""#), "bad_timestamp"),
        (line(ts: #""2025-11-29T12:00:00+24:00""#), "bad_timestamp"),
        (line(ts: #""2025-11-29T12:00:00Zx""#), "bad_timestamp"),
        (line(ts: #""1764420000""#), "bad_timestamp"),
        // Tags.
        (line(extra: #","tags":[]"#), "wrong_type"),
        (line(extra: #","tags":"a=b""#), "wrong_type"),
        (line(extra: #","tags":{"a":null}"#), "wrong_type"),
        (line(extra: #","tags":{"a":{}}"#), "wrong_type"),
        (line(extra: #","tags":{"a":["x"]}"#), "wrong_type"),
        (line(extra: #","tags":{"service":"x"}"#), "conflicting_tag"),
        (line(extra: #","tags":{"__name__":"x"}"#), "conflicting_tag"),
        (line(extra: #","tags":{"":"x"}"#), "empty_field"),
        (line(extra: #","tags":{"a":01}"#), "invalid_json"),
        (line(extra: #","tags":{"a":"1",}"#), "invalid_json"),
        (line(extra: #","tags":{"a":"1"]"#), "invalid_json"),
    ]

    @Test(arguments: 0..<cases.count)
    func rejectsInvalidLine(_ i: Int) {
        let (line, reason) = Self.cases[i]
        let parser = EventParser()
        for _ in 0..<2 {  // the second time, a valid prefix of the series may be cached
            do {
                let e = try parser.parse(line)
                Issue.record("accepted \(line.debugDescription) as \(e)")
            } catch {
                #expect(error.reason == reason, "\(line.debugDescription): \(error)")
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test func errorsSayWhatAndWhere() {
        let parser = EventParser()
        #expect(throws: EventParseError.invalidJSON(offset: 5, reason: "number with a leading zero")) {
            try parser.parse(#"{"a":01}"#)
        }
        #expect(throws: EventParseError.trailingData(offset: 3)) { try parser.parse("{} x") }
        #expect(throws: EventParseError.duplicateField("tags.a")) {
            try parser.parse(#"{"service":"s","type":"t","value":1,"timestamp":1,"tags":{"a":"1","a":"2"}}"#)
        }
        #expect(throws: EventParseError.wrongType(field: "tags.a", expected: "a string, number or bool")) {
            try parser.parse(#"{"tags":{"a":null}}"#)
        }
        #expect(EventParseError.missingField("value").description == "missing field \"value\"")
    }
}
