import TSDB
import Testing

@testable import Query

/// Instant queries over `PromQLFixture`, one row per construct: (query, minute, expected).
@Suite struct PromQLEvaluationTests {
    static let h1 = "{host=\"h1\", service=\"api\"}"
    static let h2 = "{host=\"h2\", service=\"api\"}"
    static let h3 = "{host=\"h3\", service=\"web\"}"
    static let api200 = "{service=\"api\", status=\"200\"}"
    static let api503 = "{service=\"api\", status=\"503\"}"
    static let web200 = "{service=\"web\", status=\"200\"}"
    static let lat = "{endpoint=\"/a\", service=\"api\"}"

    static let cases: [(String, Int64, String)] = [
        // Literals.
        ("1e3", 10, "scalar 1000"), ("Inf", 10, "scalar +Inf"), ("-Inf", 10, "scalar -Inf"), ("NaN", 10, "scalar NaN"),
        ("0x10", 10, "scalar 16"), (".5", 10, "scalar 0.5"), ("\"hello\"", 10, "string hello"), ("'a\\tb'", 10, "string a\tb"),
        // Precedence and associativity.
        ("1 + 2 * 3", 10, "scalar 7"), ("(1 + 2) * 3", 10, "scalar 9"), ("2 ^ 3 ^ 2", 10, "scalar 512"),
        ("-2 ^ 2", 10, "scalar -4"), ("10 - 4 - 3", 10, "scalar 3"), ("7 % 4", 10, "scalar 3"), ("2 * 3 ^ 2", 10, "scalar 18"),
        ("1 / 0", 10, "scalar +Inf"), ("-(1 + 2)", 10, "scalar -3"), ("1 == bool 1", 10, "scalar 1"), ("2 < bool 1", 10, "scalar 0"),
        ("1 + -2", 10, "scalar -1"), ("# comment\n 1", 10, "scalar 1"),
        // Selectors, lookback and offset.
        ("cpu_usage", 10, "cpu_usage\(h1) 0.5; cpu_usage\(h2) 1; cpu_usage\(h3) 2"),
        ("cpu_usage{host=\"h1\"}", 10, "cpu_usage\(h1) 0.5"),
        ("cpu_usage{host!=\"h1\"}", 10, "cpu_usage\(h2) 1; cpu_usage\(h3) 2"),
        ("cpu_usage{host=~\"h[12]\"}", 10, "cpu_usage\(h1) 0.5; cpu_usage\(h2) 1"),
        ("cpu_usage{host!~\"h1|h2\",}", 10, "cpu_usage\(h3) 2"),
        ("{__name__=\"cpu_usage\", service=\"web\"}", 10, "cpu_usage\(h3) 2"),
        ("{__name__=~\"cpu_.*\", host=\"h1\"}", 10, "cpu_limit\(h1) 2; cpu_usage\(h1) 0.5"),
        ("cpu_usage{host=\"h1\"} offset 1m", 10, "cpu_usage\(h1) 0.25"),
        ("cpu_usage{host=\"h1\"} offset -1m", 10, "cpu_usage\(h1) 0.75"),
        ("cpu_usage{host=\"h2\"}", 24, "cpu_usage\(h2) 1"),
        ("cpu_usage{host=\"h2\"}", 25, ""),
        ("cpu_usage{host=\"h2\"}[2m]", 10, "cpu_usage\(h2) [9m:1 10m:1]"),
        ("cpu_usage{host=\"h1\"}[3m] offset 1m", 10, "cpu_usage\(h1) [7m:0.75 8m:0 9m:0.25]"),
        // Arithmetic and comparisons.
        ("cpu_usage{host=\"h1\"} * 4", 10, "\(h1) 2"),
        ("2 - cpu_usage{host=\"h1\"}", 10, "\(h1) 1.5"),
        ("-cpu_usage{host=\"h2\"}", 10, "\(h2) -1"),
        ("cpu_usage > 0.75", 10, "cpu_usage\(h2) 1; cpu_usage\(h3) 2"),
        ("cpu_usage > bool 1", 10, "\(h1) 0; \(h2) 0; \(h3) 1"),
        ("1 < cpu_usage", 10, "cpu_usage\(h3) 2"),
        ("cpu_usage == 1", 10, "cpu_usage\(h2) 1"),
        ("cpu_usage != 1", 10, "cpu_usage\(h1) 0.5; cpu_usage\(h3) 2"),
        ("cpu_usage >= 1", 10, "cpu_usage\(h2) 1; cpu_usage\(h3) 2"),
        ("cpu_usage <= 1", 10, "cpu_usage\(h1) 0.5; cpu_usage\(h2) 1"),
        ("cpu_usage < 1", 10, "cpu_usage\(h1) 0.5"),
        ("cpu_usage / cpu_limit", 10, "\(h1) 0.25"),
        ("cpu_usage + cpu_usage", 10, "\(h1) 1; \(h2) 2; \(h3) 4"),
        ("cpu_limit > cpu_usage", 10, "cpu_limit\(h1) 2"),
        ("cpu_usage > cpu_limit", 10, ""),
        ("cpu_usage >= bool cpu_limit", 10, "\(h1) 0"),
        ("cpu_usage ^ 2 % 3", 10, "\(h1) 0.25; \(h2) 1; \(h3) 1"),
        // Set operators.
        ("cpu_usage and cpu_limit", 10, "cpu_usage\(h1) 0.5"),
        ("cpu_usage unless cpu_limit", 10, "cpu_usage\(h2) 1; cpu_usage\(h3) 2"),
        ("cpu_limit or cpu_usage", 10, "cpu_limit\(h1) 2; cpu_usage\(h2) 1; cpu_usage\(h3) 2"),
        ("cpu_usage{host=\"h9\"} or vector(0)", 10, "{} 0"),
        ("sum(cpu_usage) or vector(0)", 10, "{} 3.5"),
        ("cpu_usage > 0.75 and cpu_usage < 1.5", 10, "cpu_usage\(h2) 1"),
        ("cpu_usage{host=\"h2\"} offset 15m or cpu_limit", 30, "cpu_usage\(h2) 1"),
        // Aggregations.
        ("sum(cpu_usage)", 10, "{} 3.5"),
        ("sum by (service) (cpu_usage)", 10, "{service=\"api\"} 1.5; {service=\"web\"} 2"),
        ("sum(cpu_usage) by (service)", 10, "{service=\"api\"} 1.5; {service=\"web\"} 2"),
        ("sum without (host) (cpu_usage)", 10, "{service=\"api\"} 1.5; {service=\"web\"} 2"),
        ("count without (host, service) (cpu_usage)", 10, "{} 3"),
        ("avg by (service) (cpu_usage)", 10, "{service=\"api\"} 0.75; {service=\"web\"} 2"),
        ("min(cpu_usage)", 10, "{} 0.5"), ("max(cpu_usage)", 10, "{} 2"), ("count(cpu_usage)", 10, "{} 3"),
        ("stddev by (service) (cpu_usage)", 10, "{service=\"api\"} 0.25; {service=\"web\"} 0"),
        ("stdvar by (service) (cpu_usage)", 10, "{service=\"api\"} 0.0625; {service=\"web\"} 0"),
        ("group by (service) (cpu_usage)", 10, "{service=\"api\"} 1; {service=\"web\"} 1"),
        ("topk(2, cpu_usage)", 10, "cpu_usage\(h2) 1; cpu_usage\(h3) 2"),
        ("bottomk(1, cpu_usage)", 10, "cpu_usage\(h1) 0.5"),
        ("topk by (service) (1, cpu_usage)", 10, "cpu_usage\(h2) 1; cpu_usage\(h3) 2"),
        ("topk(0, cpu_usage)", 10, ""),
        ("quantile(0.5, cpu_usage)", 10, "{} 1"), ("quantile(0.25, cpu_usage)", 10, "{} 0.75"),
        ("quantile(2, cpu_usage)", 10, "{} +Inf"),
        ("sum(rate(http_requests_total[5m])) by (service)", 10, "{service=\"api\"} 0.146666666667; {service=\"web\"} 0.0266666666667"),
        // Range functions: window (t - 5m, t] holds minutes t-4 ... t.
        ("rate(http_requests_total[5m])", 10, "\(api200) 0.133333333333; \(api503) 0.0133333333333; \(web200) 0.0266666666667"),
        ("increase(http_requests_total{status=\"200\", service=\"api\"}[5m])", 13, "\(api200) 35"),
        ("increase(http_requests_total[5m] offset 3m)", 16, "\(api200) 35; \(api503) 4; \(web200) 8"),
        ("irate(http_requests_total{service=\"api\", status=\"200\"}[5m])", 13, "\(api200) 0.166666666667"),
        ("irate(http_requests_total{service=\"api\", status=\"200\"}[5m])", 11, "\(api200) 0.0833333333333"),
        ("rate(http_requests_total{status=\"503\"}[30s])", 10, ""),
        ("avg_over_time(api_latency_ms[5m])", 10, "\(lat) 40"),
        ("sum_over_time(api_latency_ms[5m])", 10, "\(lat) 200"),
        ("min_over_time(api_latency_ms[5m])", 10, "\(lat) 10"),
        ("max_over_time(api_latency_ms[5m])", 10, "\(lat) 100"),
        ("count_over_time(api_latency_ms[5m])", 10, "\(lat) 5"),
        ("stddev_over_time(api_latency_ms[5m])", 10, "\(lat) 31.6227766017"),
        ("stdvar_over_time(api_latency_ms[5m])", 10, "\(lat) 1000"),
        ("quantile_over_time(0.75, api_latency_ms[5m])", 10, "\(lat) 40"),
        ("quantile_over_time(0.5, api_latency_ms[1h])", 10, "\(lat) 30"),
        ("last_over_time(api_latency_ms[5m])", 10, "api_latency_ms\(lat) 10"),
        ("first_over_time(api_latency_ms[5m])", 10, "api_latency_ms\(lat) 20"),
        ("present_over_time(api_latency_ms[5m])", 10, "\(lat) 1"),
        ("count_over_time(api_latency_ms[1m])", 30, ""),
        // Instant-vector functions.
        ("abs(-cpu_usage{host=\"h2\"})", 10, "\(h2) 1"),
        ("ceil(cpu_usage{host=\"h1\"})", 10, "\(h1) 1"), ("floor(cpu_usage{host=\"h1\"})", 10, "\(h1) 0"),
        ("round(cpu_usage{host=\"h1\"})", 10, "\(h1) 1"), ("round(cpu_usage{host=\"h1\"}, 0.25)", 11, "\(h1) 0.75"),
        ("sqrt(cpu_limit)", 10, "\(h1) 1.41421356237"), ("ln(cpu_limit)", 10, "\(h1) 0.69314718056"),
        ("clamp_min(cpu_usage, 1)", 10, "\(h1) 1; \(h2) 1; \(h3) 2"),
        ("clamp_max(cpu_usage, 1)", 10, "\(h1) 0.5; \(h2) 1; \(h3) 1"),
        ("clamp(cpu_usage, 0.75, 1.5)", 10, "\(h1) 0.75; \(h2) 1; \(h3) 1.5"),
        ("clamp(cpu_usage, 2, 1)", 10, ""),
        ("time()", 10, "scalar 600"), ("vector(3)", 10, "{} 3"), ("vector(time())", 1, "{} 60"),
        ("scalar(cpu_usage{host=\"h1\"})", 10, "scalar 0.5"), ("scalar(cpu_usage)", 10, "scalar NaN"),
        ("cpu_usage * scalar(cpu_limit)", 10, "\(h1) 1; \(h2) 2; \(h3) 4"),
    ]

    @Test(arguments: cases)
    func instant(_ query: String, _ minute: Int64, _ expected: String) throws {
        let (value, stats) = try PromQLFixture.engine.instant(query, at: PromQLFixture.minute(minute))
        #expect(PromQLFixture.render(value) == expected)
        #expect(stats.quantileErrorBound == 0)
        #expect(stats.resolutions.isSubset(of: [.raw]))
    }

    /// With rollups allowed the answers stay the same; quantiles move within the sketch's bound.
    @Test(arguments: cases)
    func plannedMatchesRaw(_ query: String, _ minute: Int64, _ expected: String) throws {
        let t = PromQLFixture.minute(minute)
        let (planned, stats) = try PromQLFixture.plannedEngine.instant(query, at: t)
        guard query.contains("quantile_over_time") else {
            #expect(PromQLFixture.render(planned) == expected)
            return
        }
        let (exact, _) = try PromQLFixture.engine.instant(query, at: t)
        guard case .vector(let a) = planned, case .vector(let b) = exact, a.count == b.count else {
            Issue.record("shape differs")
            return
        }
        for (x, y) in zip(a, b) {
            #expect(x.labels == y.labels)
            #expect(abs(x.v - y.v) <= stats.quantileErrorBound * abs(y.v) * 1.0001, "\(x.v) vs \(y.v)")
        }
    }

    /// A range query must agree, step by step, with instant queries at each step.
    @Test(
        arguments: cases.filter {
            !$0.0.contains("[2m]") && !$0.0.contains("[3m] offset 1m") && !$0.0.hasPrefix("\"") && !$0.0.hasPrefix("'")
        })
    func rangeMatchesInstants(_ query: String, _ minute: Int64, _ expected: String) throws {
        let engine = PromQLFixture.engine
        let start = PromQLFixture.minute(minute - 3)
        let step: Int64 = 90_000
        let (value, _) = try engine.range(query, start: start, end: start + 4 * step, step: step)
        guard case .matrix(let series) = value else {
            Issue.record("not a matrix")
            return
        }
        var fromRange: [Int64: [String]] = [:]
        for s in series {
            for p in s.points { fromRange[p.t, default: []].append("\(s.labels) \(PromQLFixture.format(p.v))") }
        }
        for k in 0..<5 {
            let t = start + Int64(k) * step
            let (instant, _) = try engine.instant(query, at: t)
            var want: [String]
            switch instant {
            case .scalar(_, let v): want = ["{} \(PromQLFixture.format(v))"]
            case .vector(let samples): want = samples.map { "\($0.labels) \(PromQLFixture.format($0.v))" }
            default:
                Issue.record("unexpected instant result")
                return
            }
            #expect((fromRange[t] ?? []).sorted() == want.sorted(), "step \(t)")
        }
    }
}
