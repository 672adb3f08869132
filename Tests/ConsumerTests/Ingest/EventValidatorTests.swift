import TSDB
import Testing

@testable import Consumer

struct EventValidatorTests {
    static let now: Int64 = 1_764_420_000_000
    let validator = EventValidator(clock: { EventValidatorTests.now })

    private func reason(_ type: String, _ value: Double, at ts: Int64 = now) -> String? {
        let e = MetricEvent(labels: Labels(type: type, service: "s"), timestamp: ts, value: value)
        do {
            try validator.validate(e)
            return nil
        } catch {
            #expect(!error.description.isEmpty)
            return error.reason
        }
    }

    static let table: [(String, Double, Int64, String?)] = [
        ("latency_ms", 12.5, now, nil),
        ("latency_ms", -0.1, now, "out_of_range"),
        ("request_seconds", -1, now, "out_of_range"),
        ("db_latency", -1, now, "out_of_range"),
        ("db_latency_p99", 0, now, nil),
        ("cpu_percent", 100, now, nil),
        ("cpu_percent", 100.01, now, "out_of_range"),
        ("cpu_percent", -1, now, "out_of_range"),
        ("hit_ratio", 1, now, nil),
        ("hit_ratio", 1.5, now, "out_of_range"),
        ("requests_total", -3, now, "out_of_range"),
        ("temperature", -40, now, nil),
        ("temperature", .nan, now, "non_finite"),
        ("temperature", .infinity, now, "non_finite"),
        ("latency_ms", -.infinity, now, "non_finite"),
        ("temperature", 1, now + 5 * 60_000, nil),
        ("temperature", 1, now + 5 * 60_000 + 1, "future_timestamp"),
        ("temperature", 1, now - 7 * 86_400_000, nil),
        ("temperature", 1, now - 7 * 86_400_000 - 1, "too_old"),
        ("temperature", 1, Int64.min, "timestamp_out_of_range"),
        ("temperature", 1, Int64.max, "timestamp_out_of_range"),
    ]

    @Test(arguments: table)
    func reasons(_ type: String, _ value: Double, _ ts: Int64, _ expected: String?) {
        #expect(reason(type, value, at: ts) == expected)
    }

    @Test func configuredRulesComeFirst() {
        let config = EventValidatorConfig(
            rules: [RangeRule(.exact("queue_latency_ms"), min: -10, max: 10)] + RangeRule.defaults,
            futureToleranceMs: 0, maxAgeMs: 1000)
        let v = EventValidator(config: config, clock: { 5000 })
        func check(_ type: String, _ value: Double, _ ts: Int64) -> String? {
            do {
                try v.validate(MetricEvent(labels: Labels(type: type, service: "s"), timestamp: ts, value: value))
                return nil
            } catch { return error.reason }
        }
        #expect(check("queue_latency_ms", -5, 5000) == nil)
        #expect(check("queue_latency_ms", 11, 5000) == "out_of_range")
        #expect(check("other_ms", -5, 5000) == "out_of_range")
        #expect(check("x", 1, 5001) == "future_timestamp")
        #expect(check("x", 1, 3999) == "too_old")
    }

    @Test func filterMovesInvalidEventsToRejections() {
        var m = DecodedMessage()
        for (i, v) in [1.0, -1, 2, .nan, 3].enumerated() {
            m.events.append(MetricEvent(labels: Labels(type: "x_total", service: "s"), timestamp: Self.now + Int64(i), value: v))
        }
        validator.filter(&m, now: Self.now)
        #expect(m.events.map(\.value) == [1, 2, 3])
        #expect(m.rejections.map(\.reason) == ["out_of_range", "non_finite"])
    }
}
