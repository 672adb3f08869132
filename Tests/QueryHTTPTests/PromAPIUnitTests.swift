import Query
import TSDB
import Testing

@testable import QueryHTTP

/// Formatting and parameter parsing against the text Prometheus (Go) produces.
struct PromAPIUnitTests {
    @Test(arguments: [
        (0.0, "0"), (-0.0, "-0"), (1.0, "1"), (-2.5, "-2.5"), (0.1, "0.1"), (1.0 / 3, "0.3333333333333333"),
        (1e-6, "0.000001"), (1e-7, "1e-07"), (1.5e-10, "1.5e-10"), (123_456_789.0, "123456789"),
        (1e16, "10000000000000000"), (1e20, "100000000000000000000"), (1e21, "1e+21"), (1.2345e22, "1.2345e+22"),
        (Double.leastNonzeroMagnitude, "5e-324"), (Double.greatestFiniteMagnitude, "1.7976931348623157e+308"),
        (Double.nan, "NaN"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (0.000123, "0.000123"),
    ])
    func valueText(v: Double, expected: String) {
        #expect(PromFormat.value(v) == expected)
    }

    @Test func valueRoundTrips() {
        var state: UInt64 = 0x1234_5678
        for _ in 0..<2000 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            let v = Double(bitPattern: z ^ (z >> 31))
            guard v.isFinite else { continue }
            let text = PromFormat.value(v)
            #expect(Double(text)?.bitPattern == v.bitPattern, "\(v) -> \(text)")
        }
    }

    @Test(arguments: [
        (Int64(1_700_000_000_000), "1700000000"), (1_700_000_000_500, "1700000000.500"), (1_700_000_000_001, "1700000000.001"),
        (1_700_000_000_050, "1700000000.050"), (-1500, "-1.500"), (0, "0"),
    ])
    func timestampText(ms: Int64, expected: String) {
        #expect(PromFormat.timestamp(ms) == expected)
    }

    @Test func times() {
        #expect(PromTime.parseTime("1700000000") == 1_700_000_000_000)
        #expect(PromTime.parseTime("1700000000.1234") == 1_700_000_000_123)
        #expect(PromTime.parseTime("2023-11-14T22:13:20Z") == 1_700_000_000_000)
        #expect(PromTime.parseTime("2023-11-14T22:13:20.25Z") == 1_700_000_000_250)
        #expect(PromTime.parseTime("2023-11-15T00:13:20+02:00") == 1_700_000_000_000)
        #expect(PromTime.parseTime("1969-12-31T23:59:59Z") == -1000)
        for bad in ["", "abc", "2023-11-14", "2023-13-14T22:13:20Z", "2023-11-14T22:13:20", "1e300", "nan", "inf"] {
            #expect(PromTime.parseTime(bad) == nil, "\(bad)")
        }
        #expect(PromTime.parseTime("now-1h", now: 10_000_000) == Int64(6_400_000))
        #expect(PromTime.parseTime("now", now: 5) == 5)
        #expect(PromTime.parseTime("now+90s", now: 0) == 90_000)
        #expect(PromTime.parseTime("now-", now: 0) == nil)
    }

    @Test func durations() {
        #expect(PromTime.parseDuration("15") == 15_000)
        #expect(PromTime.parseDuration("0.5") == 500)
        #expect(PromTime.parseDuration("15s") == 15_000)
        #expect(PromTime.parseDuration("1h30m") == 5_400_000)
        #expect(PromTime.parseDuration("500ms") == 500)
        #expect(PromTime.parseDuration("1d") == 86_400_000)
        #expect(PromTime.parseDuration("1y") == Int64(31_536_000_000))
        for bad in ["", "s", "1x", "30m1h", "1h1h", "9999999999999999999s", "1.5h"] {
            #expect(PromTime.parseDuration(bad) == nil, "\(bad)")
        }
    }

    @Test func formDecoding() {
        let p = FormParameters(encoded: Array("query=rate(x%5B5m%5D)+%2B+1&match[]=a&match%5B%5D=b&empty&bad=%zz%4".utf8))
        #expect(p["query"] == "rate(x[5m]) + 1")
        #expect(p.all("match[]") == ["a", "b"])
        #expect(p["empty"] == "")
        #expect(p["bad"] == "%zz%4")
        #expect(p["missing"] == nil)
    }

    @Test func selectors() throws {
        let m = try SeriesSelector.parse(#"api_latency_ms{service="a\"b", endpoint=~'/x.*',status!=`5`,}"#)
        #expect(m.map(\.description) == [#"__name__="api_latency_ms""#, #"service="a"b""#, #"endpoint=~"/x.*""#, #"status!="5""#])
        let only = try SeriesSelector.parse(#" {__name__=~"http_.+"} "#)
        #expect(only.count == 1)
        let failures: [(String, Int)] = [("", 1), ("x{", 3), ("x{a}", 4), ("x{a=b}", 5), ("x{a=\"b", 5), ("x y", 3), ("{a=\"\"}", 1)]
        for (text, column) in failures {
            #expect(throws: SelectorError.self) { try SeriesSelector.parse(text) }
            do {
                _ = try SeriesSelector.parse(text)
            } catch {
                #expect(error.column == column, "\(text): \(error)")
            }
        }
    }

    @Test func errorKindsMapToPrometheusStatuses() {
        let cases: [(PromQLError.Kind, Int, String)] = [
            (.parse, 400, "bad_data"), (.unsupported, 400, "bad_data"), (.execution, 422, "execution"), (.timeout, 503, "timeout"),
        ]
        for (kind, status, type) in cases {
            let r = PromAPI.response(kind: kind, message: "boom", position: 3, query: "ab\ncdef")
            #expect(r.status == status)
            #expect(r.body == PromJSON.error(type: type, message: "2:1: boom"))
        }
        #expect(PromAPI.response(kind: .parse, message: "1:4: x", position: 3, query: "abcd").body.contains("\"1:4: x\""))
    }

    @Test func jsonEscapes() {
        var w = PromJSON()
        w.string("a\"b\\c\n\u{1}é")
        #expect(w.text == #""a\"b\\c\n\u0001é""#)
    }
}
