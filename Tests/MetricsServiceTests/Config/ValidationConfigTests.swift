import Consumer
import TSDB
import Testing

@testable import MetricsService

/// The `validation` section: tolerances and ranges reach the validator; file ranges win over the
/// built-in ones; malformed ranges are refused with their path and line.
@Suite struct ValidationConfigTests {
    static let now: Int64 = 1_764_000_000_000

    static func accepts(_ v: EventValidator, _ type: String, _ value: Double, at t: Int64 = now) -> Bool {
        do {
            try v.validate(MetricEvent(labels: Labels(type: type, service: "s"), timestamp: t, value: value), now: now)
            return true
        } catch {
            return false
        }
    }

    @Test func fileRangesAndTolerancesApply() throws {
        let yaml = """
            validation:
              future_tolerance: 1m
              max_age: 1h
              ranges:
                - {type: queue_depth, min: 0, max: 100}
                - {suffix: _percent, min: 0, max: 200}
            """
        let config = try ServiceFileConfig.parse(yaml, source: "t.yaml")
        #expect(config.validation.futureToleranceMs == 60_000 && config.validation.maxAgeMs == 3_600_000)
        let v = EventValidator(config: config.validation, clock: { Self.now })
        #expect(Self.accepts(v, "queue_depth", 100) && !Self.accepts(v, "queue_depth", 101))
        #expect(Self.accepts(v, "cpu_percent", 150), "the file's range comes before the built-in 0-100")
        #expect(!Self.accepts(v, "api_latency_ms", -1), "built-in ranges still apply")
        #expect(!Self.accepts(v, "queue_depth", 1, at: Self.now + 120_000) && !Self.accepts(v, "queue_depth", 1, at: Self.now - 7_200_000))
        #expect(try ServiceFileConfig.parse("", source: "t.yaml").validation == EventValidatorConfig())
    }

    @Test(arguments: [
        ("validation:\n  ranges:\n    - {type: a, suffix: b}\n", "validation.ranges[0]", 3),
        ("validation:\n  ranges:\n    - {min: 1}\n", "validation.ranges[0]", 3),
        ("validation:\n  ranges:\n    - {type: a, min: 5, max: 1}\n", "validation.ranges[0]", 3),
        ("validation:\n  ranges:\n    - {type: a, maximum: 1}\n", "validation.ranges[0].maximum", 3),
        ("validation:\n  max_age: 0s\n", "validation.max_age", 2),
    ])
    func malformedIsRefused(yaml: String, path: String, line: Int) {
        do {
            _ = try ServiceFileConfig.parse(yaml, source: "t.yaml")
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.path == path && error.line == line, "\(error)")
        }
    }
}
