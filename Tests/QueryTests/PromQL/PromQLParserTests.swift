import Foundation
import TSDB
import Testing

@testable import Query

/// The parser's tree printed back as canonical PromQL, and range queries end to end.
@Suite struct PromQLParserTests {
    static let roundTrips: [(String, String)] = [
        ("foo", "foo"), ("1e3", "1000"), ("0.5", "0.5"), ("-Inf", "-Inf"), ("nan", "NaN"), ("1e20", "1e+20"),
        ("{__name__=\"foo\"}", "foo"),
        ("foo{a='b', c!=\"d\",e=~`x.*`, f!~\"\\\\d\"}", "foo{a=\"b\", c!=\"d\", e=~\"x.*\", f!~\"\\\\d\"}"),
        ("{job=\"a\"}", "{job=\"a\"}"),
        ("foo[90m]", "foo[1h30m]"), ("foo[1h30m] offset 1d", "foo[1h30m] offset 1d"),
        ("foo offset -5m", "foo offset -5m"), ("foo[1500ms]", "foo[1s500ms]"), ("foo[2w]", "foo[2w]"),
        ("1 + 2 * 3", "1 + 2 * 3"), ("(1+2)*3", "(1 + 2) * 3"), ("-foo ^ 2", "-foo ^ 2"),
        ("a >bool b", "a > bool b"), ("a or b and c unless d", "a or b and c unless d"), ("a == 1", "a == 1"),
        ("sum(foo) by (a, b)", "sum by (a, b) (foo)"), ("sum without(a)(foo)", "sum without (a) (foo)"),
        ("topk by (a) (3, foo)", "topk by (a) (3, foo)"), ("quantile(0.9, foo)", "quantile(0.9, foo)"),
        ("sum by () (foo)", "sum(foo)"),
        ("rate(foo[5m])", "rate(foo[5m])"),
        ("quantile_over_time(0.99, lat_ms{s=\"a\"}[1h])", "quantile_over_time(0.99, lat_ms{s=\"a\"}[1h])"),
        ("round(foo, 0.5)", "round(foo, 0.5)"), ("time()", "time()"), ("vector(1)", "vector(1)"),
        (
            "sum(rate(x_total[5m])) by (service) / sum(rate(y_total[5m])) by (service) * 100",
            "sum by (service) (rate(x_total[5m])) / sum by (service) (rate(y_total[5m])) * 100"
        ),
    ]

    @Test(arguments: roundTrips)
    func printsCanonically(_ query: String, _ canonical: String) throws {
        let printed = try Parser.parse(query).description
        #expect(printed == canonical)
        #expect(try Parser.parse(printed).description == printed)
    }

    @Test func associativityAndPrecedence() throws {
        guard case .binary(.sub, .binary(.sub, _, _, _), _, _) = try Parser.parse("a - b - c") else {
            Issue.record("- must be left-associative")
            return
        }
        guard case .binary(.pow, _, .binary(.pow, _, _, _), _) = try Parser.parse("a ^ b ^ c") else {
            Issue.record("^ must be right-associative")
            return
        }
        guard case .binary(.gt, .binary(.add, _, _, _), _, _) = try Parser.parse("a + b > c") else {
            Issue.record("+ must bind tighter than >")
            return
        }
        guard case .binary(.or, _, .binary(.unless, .binary(.and, _, _, _), _, _), _) = try Parser.parse("a or b and c unless d") else {
            Issue.record("and/unless must bind tighter than or, left-associative")
            return
        }
        guard case .binary(.and, .binary(.gt, _, _, _), _, _) = try Parser.parse("a > 1 and b") else {
            Issue.record("> must bind tighter than and")
            return
        }
        guard case .negate(.binary(.pow, _, _, _)) = try Parser.parse("-a ^ b") else {
            Issue.record("^ must bind tighter than unary minus")
            return
        }
        guard case .binary(.mul, .negate, _, _) = try Parser.parse("-a * b") else {
            Issue.record("unary minus must bind tighter than *")
            return
        }
    }

    @Test(arguments: [("1h30m", Int64(5_400_000)), ("500ms", 500), ("1y", 31_536_000_000), ("1d2h3m4s5ms", 93_784_005)])
    func durations(_ text: String, _ ms: Int64) {
        #expect(Duration.parse(text) == ms)
        #expect(Duration.parse(Duration.format(ms)) == ms)
    }

    @Test func rangeQueries() throws {
        let engine = PromQLFixture.engine
        let m = PromQLFixture.minute
        let (gauge, gaugeStats) = try engine.range("cpu_usage{host=\"h1\"}", start: m(0), end: m(4), step: m(1))
        #expect(PromQLFixture.render(gauge) == "cpu_usage{host=\"h1\", service=\"api\"} [0m:0 1m:0.25 2m:0.5 3m:0.75 4m:0]")
        #expect(gaugeStats == QueryStats(resolutions: [.raw], quantileErrorBound: 0, seriesRead: 1))

        let (scalar, _) = try engine.range("1 + 1", start: m(0), end: m(2), step: m(1))
        #expect(PromQLFixture.render(scalar) == "{} [0m:2 1m:2 2m:2]")

        let (avg, _) = try engine.range("avg_over_time(api_latency_ms[5m])", start: m(10), end: m(12), step: m(1))
        #expect(PromQLFixture.render(avg) == "{endpoint=\"/a\", service=\"api\"} [10m:40 11m:40 12m:40]")

        // Past the last sample the lookback runs out: points stop at minute 24.
        let (tail, _) = try engine.range("cpu_usage{host=\"h2\"}", start: m(23), end: m(26), step: m(1))
        #expect(PromQLFixture.render(tail) == "cpu_usage{host=\"h2\", service=\"api\"} [23m:1 24m:1]")

        let (rates, rateStats) = try engine.range(
            "sum by (service) (increase(http_requests_total[5m]))", start: m(10), end: m(13), step: m(1))
        #expect(
            PromQLFixture.render(rates) == "{service=\"api\"} [10m:44 11m:39 12m:39 13m:39]; {service=\"web\"} [10m:8 11m:8 12m:8 13m:8]")
        #expect(rateStats.seriesRead == 3)
    }

    /// Past raw retention instant selectors take the last value of each lookback window from
    /// `WindowQuery` aggregates; the answer must equal the raw one.
    @Test func instantSelectorBeyondRawRetention() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promql-retention-\(UUID().uuidString)").path
        var options = StoreOptions()
        options.retentionRaw = StoreOptions.hour
        options.fsync = .never
        let store = try Store(directory: dir, options: options)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var batch = WriteBatch()
        for m in Int64(0)...200 where m % 3 != 0 { batch.append(Labels(type: "g", service: "s"), m * 60_000, Double(m)) }
        _ = try store.append(batch)
        let old = PromQLEngine(store: store, options: QueryOptions(prometheusWindows: true))
        let raw = PromQLEngine(store: store, options: QueryOptions(rawOnly: true, prometheusWindows: true))
        for query in ["g", "g offset 2m", "g * 2", "sum(g)"] {
            let (a, _) = try old.range(query, start: 0, end: 3_000_000, step: 30_000)
            let (b, _) = try raw.range(query, start: 0, end: 3_000_000, step: 30_000)
            #expect(PromQLFixture.render(a) == PromQLFixture.render(b), "\(query)")
            let (c, _) = try old.instant(query, at: 1_230_000)
            let (d, _) = try raw.instant(query, at: 1_230_000)
            #expect(PromQLFixture.render(c) == PromQLFixture.render(d), "\(query)")
        }
        let (v, _) = try old.instant("g", at: 600_000)
        #expect(PromQLFixture.render(v) == "g{service=\"s\"} 10")
    }
}
