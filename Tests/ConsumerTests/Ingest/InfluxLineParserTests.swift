import TSDB
import Testing

@testable import Consumer

/// Parses `text` as one line with the given fallback and default timestamp.
private func parse(
    _ text: String, fallback: String? = "fallback", now: Int64 = 42, precision: LineProtocolPrecision = .nanoseconds
) throws(LineProtocolError) -> ([MetricEvent], InfluxLineParser.LineOutcome) {
    let parser = InfluxLineParser(precision: precision)
    var events: [MetricEvent] = []
    let bytes = Array(text.utf8)
    let result = bytes.withUnsafeBytes { buf in
        Result { () throws(LineProtocolError) -> InfluxLineParser.LineOutcome in
            try parser.parseLine(buf, fallbackService: fallback, defaultTimestamp: now, into: &events)
        }
    }
    return (events, try result.get())
}

private func event(_ type: String, _ service: String, _ tags: [String: String], _ ts: Int64, _ value: Double) -> MetricEvent {
    MetricEvent(labels: Labels(type: type, service: service, tags: tags), timestamp: ts, value: value)
}

struct InfluxLineParserTests {
    static let valid: [(String, [MetricEvent])] = [
        ("cpu value=1.5 1764420000123000000", [event("cpu", "fallback", [:], 1_764_420_000_123, 1.5)]),
        (
            "cpu,service=api,host=h1 usage_idle=98.25 1764420000123456789",
            [event("cpu_usage_idle", "api", ["host": "h1"], 1_764_420_000_123, 98.25)]
        ),
        (
            "mem,service=db used=12i,free=7u,ok=true,bad=F,name=\"x y\" 1000000",
            [
                event("mem_used", "db", [:], 1, 12), event("mem_free", "db", [:], 1, 7),
                event("mem_ok", "db", [:], 1, 1), event("mem_bad", "db", [:], 1, 0),
            ]
        ),
        (
            "my\\ meas\\,ure,ta\\ g\\=1=v\\,a\\ l\\=ue fi\\=eld\\ x=-3e2 0",
            [event("my meas,ure_fi=eld x", "fallback", ["ta g=1": "v,a l=ue"], 0, -300)]
        ),
        ("escaped\\x value=1 5000000", [event("escaped\\x", "fallback", [:], 5, 1)]),
        ("s str=\"a \\\"q\\\" \\\\ b\",v=2 3000000", [event("s_v", "fallback", [:], 3, 2)]),
        ("neg value=-1i -1500000", [event("neg", "fallback", [:], -2, -1)]),
        (
            "b a=t,b=T,c=true,d=True,e=TRUE,f=f,g=False,h=FALSE 0",
            ["a", "b", "c", "d", "e"].map { event("b_" + $0, "fallback", [:], 0, 1) }
                + ["f", "g", "h"].map { event("b_" + $0, "fallback", [:], 0, 0) }
        ),
        ("  cpu value=.5   7000000  \r", [event("cpu", "fallback", [:], 7, 0.5)]),
        (
            "big value=9223372036854775807i,u=18446744073709551615u 0",
            [event("big", "fallback", [:], 0, Double(Int64.max)), event("big_u", "fallback", [:], 0, Double(UInt64.max))]
        ),
        ("cpu value=1e-400 0", [event("cpu", "fallback", [:], 0, 0)]),
        ("cpu value=42", [event("cpu", "fallback", [:], 42, 42)]),
    ]

    @Test(arguments: valid)
    func parsesValidLines(_ line: String, _ expected: [MetricEvent]) throws {
        let (events, _) = try parse(line)
        #expect(events == expected)
    }

    @Test func countsStringFieldsAndMissingTimestamps() throws {
        let (events, outcome) = try parse("m,service=x a=\"s\",b=1,c=\"t\"", now: 99)
        #expect(events == [event("m_b", "x", [:], 99, 1)])
        #expect(outcome == InfluxLineParser.LineOutcome(events: 1, skippedStringFields: 2, timestampDefaulted: true))
    }

    @Test func blankAndCommentLinesYieldNothing() throws {
        for line in ["", "   ", "# comment value=1 0", "\r"] {
            let (events, outcome) = try parse(line)
            #expect(events.isEmpty && outcome == InfluxLineParser.LineOutcome())
        }
    }

    @Test(arguments: [
        (LineProtocolPrecision.nanoseconds, "1764420000123999999", Int64(1_764_420_000_123)),
        (.microseconds, "1764420000123999", 1_764_420_000_123),
        (.milliseconds, "1764420000123", 1_764_420_000_123),
        (.seconds, "1764420000", 1_764_420_000_000),
        (.nanoseconds, "-1", -1),
        (.microseconds, "-1001", -2),
    ])
    func timestampPrecision(_ precision: LineProtocolPrecision, _ ts: String, _ ms: Int64) throws {
        let (events, _) = try parse("m value=1 " + ts, precision: precision)
        #expect(events.map(\.timestamp) == [ms])
    }

    static let invalid: [(String, String)] = [
        (",t=1 value=1", "missing_measurement"),
        (" =x", "missing_fields"),
        ("cpu", "missing_fields"),
        ("cpu,host value=1", "bad_tag"),
        ("cpu,host= value=1", "bad_tag"),
        ("cpu,=h value=1", "bad_tag"),
        ("cpu,__name__=x value=1", "conflicting_tag"),
        ("cpu value", "bad_field"),
        ("cpu =1", "bad_field"),
        ("cpu value=1,", "bad_field"),
        ("cpu value=", "bad_field_value"),
        ("cpu value=abc", "bad_field_value"),
        ("cpu value=1.2.3", "bad_field_value"),
        ("cpu value=12x", "bad_field_value"),
        ("cpu value=-u", "bad_field_value"),
        ("cpu value=-1u", "bad_field_value"),
        ("cpu value=9223372036854775808i", "bad_field_value"),
        ("cpu value=18446744073709551616u", "bad_field_value"),
        ("cpu value=1e999", "bad_field_value"),
        ("cpu value=NaN", "bad_field_value"),
        ("cpu value=tru", "bad_field_value"),
        ("cpu value=\"open", "unterminated_string"),
        ("cpu value=\"x\\\"", "unterminated_string"),
        ("cpu value=1 12a", "bad_timestamp"),
        ("cpu value=1 99999999999999999999", "bad_timestamp"),
        ("cpu value=1 1 2", "trailing_data"),
    ]

    @Test(arguments: invalid)
    func rejectsInvalidLines(_ line: String, _ reason: String) {
        #expect(throws: LineProtocolError.self) { try parse(line) }
        do {
            _ = try parse(line)
        } catch {
            #expect(error.reason == reason, "\(line): \(error)")
        }
    }

    @Test func missingServiceWithoutFallback() {
        do {
            _ = try parse("cpu value=1 0", fallback: nil)
            Issue.record("expected missing_service")
        } catch {
            #expect(error.reason == "missing_service")
        }
    }

    /// Cached labels must never leak across fallbacks or field names.
    @Test func cacheKeysIncludeFieldAndFallback() throws {
        let parser = InfluxLineParser(labelCacheLimit: 4)
        var events: [MetricEvent] = []
        for (i, service) in ["a", "b", "a", "c", "b", "d", "e", "a"].enumerated() {
            let line = Array("cpu,host=h x=\(i),y=1 0".utf8)
            _ = try line.withUnsafeBytes { buf throws(LineProtocolError) in
                try parser.parseLine(buf, fallbackService: service, defaultTimestamp: 0, into: &events)
            }
            #expect(
                events.suffix(2) == [event("cpu_x", service, ["host": "h"], 0, Double(i)), event("cpu_y", service, ["host": "h"], 0, 1)])
        }
    }

    /// The fast float path must agree bit for bit with the standard library's parser.
    @Test func floatsMatchStandardLibrary() {
        var rng = IngestTestRNG(seed: 7)
        for _ in 0..<20_000 {
            var text = Bool.random(using: &rng) ? "-" : ""
            let intDigits = Int.random(in: 0...20, using: &rng)
            for _ in 0..<intDigits { text += String(Int.random(in: 0...9, using: &rng)) }
            let fracDigits = Int.random(in: (intDigits == 0 ? 1 : 0)...12, using: &rng)
            if fracDigits > 0 || Bool.random(using: &rng) { text += "." }
            for _ in 0..<fracDigits { text += String(Int.random(in: 0...9, using: &rng)) }
            if Bool.random(using: &rng) { text += "e" + String(Int.random(in: -330...330, using: &rng)) }
            let bytes = Array(text.utf8)
            let got = bytes.withUnsafeBufferPointer { LPScan.float($0.baseAddress!, 0, $0.count) }
            let want = Double(text).flatMap { $0.isFinite ? $0 : nil }
            #expect(got?.bitPattern == want?.bitPattern, "\(text)")
        }
    }
}
