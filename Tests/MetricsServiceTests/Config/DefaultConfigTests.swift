import Alerting
import Foundation
import Query
import Testing

@testable import MetricsService

@Suite struct DefaultConfigTests {
    /// The repository root, from this file's path (Tests/MetricsServiceTests/Config/...).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test func shippedFileIsDefaultYAML() throws {
        let path = Self.root.appendingPathComponent("config/metrics.yaml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == ServiceFileConfig.defaultYAML)
        #expect(try ServiceFileConfig.load(path: path) == ServiceFileConfig.defaults())
    }

    @Test func defaultYAMLParsesToDefaults() throws {
        let parsed = try ServiceFileConfig.parse(ServiceFileConfig.defaultYAML, source: "metrics.yaml")
        #expect(parsed == ServiceFileConfig.defaults())
    }

    @Test func defaultsHoldTheDocumentedContent() {
        let d = ServiceFileConfig.defaults()
        #expect(d.alerts.rules == AlertRule.defaults)
        #expect(d.alerts.evaluationInterval == 30_000 && d.alerts.maxPerMinute == 30 && d.alerts.defaultCooldown == 600_000)
        #expect(d.alerts.webhook == nil && d.alerts.redisListLength == 1000)
        #expect(d.recordingRules == RecordingRule.examples)
        #expect(d.anomaly.enabled && d.anomaly.metrics == [.p99LatencyMs, .errorRate, .throughputRps])
        #expect(d.anomaly.series == ["cpu_usage_percent"] && d.anomaly.settings == DetectorSettings())
        #expect(d.health == HealthTargets())
        #expect(d.slos.map(\.name) == ["recommendation-availability", "recommendation-latency"])
        #expect(d.slos[0].objective == .availability(target: 0.999) && d.slos[0].period == 30 * 86_400_000)
        #expect(d.slos[1].objective == .latency(thresholdMs: 500, target: 0.99))
        #expect(d.slos.allSatisfy { (try? $0.validate()) != nil })
        #expect(
            d.capacity == [
                CapacitySpec(name: "cpu", metric: "cpu_usage_percent", limit: 90),
                CapacitySpec(
                    name: "recommendation-api-throughput", metric: "api_latency_ms", service: "recommendation-api", limit: 2000,
                    measure: .eventRate),
            ])
        #expect(d.transforms.isEmpty && d.expectedServices.isEmpty && d.kafka.isEmpty)
    }

    @Test func emptyDocumentKeepsStructDefaults() throws {
        for text in ["", "# nothing\n", "~\n", "---\n"] {
            #expect(try ServiceFileConfig.parse(text, source: "x") == ServiceFileConfig())
        }
    }

    @Test func missingRulesKeepBuiltInsWithFileCooldown() throws {
        let c = try ServiceFileConfig.parse("alerts:\n  default_cooldown: 1m\n", source: "x")
        #expect(c.alerts.rules.map(\.name) == AlertRule.defaults.map(\.name))
        #expect(c.alerts.rules.allSatisfy { $0.cooldown == 60_000 })
        #expect(try ServiceFileConfig.parse("alerts:\n  rules: []\n", source: "x").alerts.rules.isEmpty)
    }

    @Test func loadReportsMissingFile() {
        #expect(throws: ConfigError.self) { try ServiceFileConfig.load(path: "/nonexistent/metrics.yaml") }
    }
}
