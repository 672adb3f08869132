import Testing

@testable import MetricsService

@Suite struct ConfigErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var yaml: String
        var path: String
        var line: Int?
        var reason: String
        var testDescription: String { path + ": " + reason }
    }

    static let rule = "alerts:\n  rules:\n    - name: r\n      health: error_rate\n"

    static let cases: [Case] = [
        Case(yaml: "alertz: {}\n", path: "alertz", line: 1, reason: "unknown key 'alertz'"),
        Case(
            yaml: "alerts:\n  rules:\n    - name: r\n      expr: 'rate(x[5m]'\n      warning: 1\n", path: "alerts.rules[0].expr", line: 4,
            reason: "invalid PromQL"),
        Case(
            yaml: "recording_rules:\n  - record: r\n    expr: 'sum by (a) (x'\n", path: "recording_rules[0].expr", line: 3,
            reason: "invalid PromQL"),
        Case(
            yaml: "alerts:\n  rules:\n    - name: r\n      health: error_rate\n      warnig: 0.1\n", path: "alerts.rules[0].warnig",
            line: 5, reason: "unknown key"),
        Case(
            yaml:
                "alerts:\n  rules:\n    - name: a\n      health: error_rate\n      warning: 0.1\n    - name: b\n      health: error_rate\n      warning: x\n",
            path: "alerts.rules[1].warning", line: 8, reason: "expected a number"),
        Case(
            yaml: "alerts:\n  evaluation_interval: 5 minutes\n", path: "alerts.evaluation_interval", line: 2, reason: "expected a duration"),
        Case(yaml: "alerts:\n  evaluation_interval: 0s\n", path: "alerts.evaluation_interval", line: 2, reason: "must be positive"),
        Case(yaml: "alerts:\n  evaluation_interval: -5\n", path: "alerts.evaluation_interval", line: 2, reason: "must be positive"),
        Case(yaml: "alerts:\n  rules: 5\n", path: "alerts.rules", line: 2, reason: "expected a list"),
        Case(yaml: "alerts: [1, 2]\n", path: "alerts", line: 1, reason: "expected a mapping"),
        Case(
            yaml: rule + "      warning: 0.1\n      critical: 0.05\n", path: "alerts.rules[0].critical", line: 6,
            reason: "must lie above warning"),
        Case(
            yaml: rule + "      direction: below\n      warning: 0.05\n      critical: 0.1\n", path: "alerts.rules[0].critical", line: 7,
            reason: "must lie below warning"),
        Case(yaml: rule + "      warning: 0.05\n      resolve: 0.06\n", path: "alerts.rules[0].resolve", line: 6, reason: "at or below"),
        Case(yaml: rule + "      warning: 5\n", path: "alerts.rules[0].warning", line: 5, reason: "fraction 0-1"),
        Case(yaml: rule + "      warning: .inf\n", path: "alerts.rules[0].warning", line: 5, reason: "expected a number"),
        Case(yaml: rule + "      warning: 1e999\n", path: "alerts.rules[0].warning", line: 5, reason: "finite"),
        Case(yaml: rule, path: "alerts.rules[0]", line: 3, reason: "'warning', 'critical' or both"),
        Case(yaml: rule + "      warning: 0.1\n      expr: up\n", path: "alerts.rules[0]", line: 3, reason: "not both"),
        Case(
            yaml: "alerts:\n  rules:\n    - name: r\n      expr: up\n      warning: 1\n      services: [a]\n",
            path: "alerts.rules[0].services", line: 6, reason: "health rules only"),
        Case(
            yaml: rule + "      warning: 0.1\n    - name: r\n      health: error_rate\n      warning: 0.1\n", path: "alerts.rules[1]",
            line: 6, reason: "duplicate rule name"),
        Case(
            yaml: "alerts:\n  rules:\n    - health: error_rate\n      warning: 0.1\n", path: "alerts.rules[0]", line: 3,
            reason: "missing required key 'name'"),
        Case(
            yaml: "alerts:\n  rules:\n    - name: r\n      health: latency\n      warning: 1\n", path: "alerts.rules[0].health", line: 4,
            reason: "unknown value 'latency'"),
        Case(yaml: "alerts:\n  webhook:\n    url: ftp://x/y\n", path: "alerts.webhook.url", line: 3, reason: "http://"),
        Case(yaml: "alerts:\n  webhook:\n    attempts: 3\n", path: "alerts.webhook", line: 3, reason: "missing required key 'url'"),
        Case(
            yaml: "alerts:\n  max_notifications_per_minute: 0\n", path: "alerts.max_notifications_per_minute", line: 2,
            reason: "must lie in"),
        Case(
            yaml: "alerts:\n  default_cooldown: 1m\n  default_cooldown: 2m\n", path: "", line: 2, reason: "duplicate key 'default_cooldown'"
        ),
        Case(yaml: "anomaly:\n  enabled: yes\n", path: "anomaly.enabled", line: 2, reason: "expected true or false"),
        Case(yaml: "anomaly:\n  settings:\n    alert_scor: 0.9\n", path: "anomaly.settings.alert_scor", line: 3, reason: "unknown key"),
        Case(
            yaml: "anomaly:\n  settings:\n    alert_score: 0.4\n", path: "anomaly.settings", line: 3, reason: "resolve_score < alert_score"),
        Case(
            yaml: "anomaly:\n  settings:\n    critical_score: 1.5\n", path: "anomaly.settings.critical_score", line: 3,
            reason: "strictly between 0 and 1"),
        Case(yaml: "health:\n  error_budget_percent: 150\n", path: "health.error_budget_percent", line: 2, reason: "(0, 100]"),
        Case(
            yaml: "slos:\n  - name: s\n    service: a\n    availability: 100\n", path: "slos[0].availability", line: 4,
            reason: "strictly between 0 and 100"),
        Case(
            yaml: "slos:\n  - name: s\n    service: a\n    latency: {threshold_ms: 500}\n", path: "slos[0].latency", line: 4,
            reason: "missing required key 'target'"),
        Case(yaml: "slos:\n  - name: s\n    service: a\n", path: "slos[0]", line: 2, reason: "needs 'availability'"),
        Case(
            yaml: "capacity:\n  - name: c\n    metric: m\n    limit: 1\n    measure: peak\n", path: "capacity[0].measure", line: 5,
            reason: "unknown value 'peak'"),
        Case(
            yaml: "recording_rules:\n  - record: 'bad name'\n    expr: up\n", path: "recording_rules[0].record", line: 2,
            reason: "letters, digits"),
        Case(
            yaml: "recording_rules:\n  - record: r\n    expr: up\n    labels: {1x: y}\n", path: "recording_rules[0].labels.1x", line: 4,
            reason: "invalid label name"),
        Case(yaml: "transforms:\n  - sample: {metric: m, every: 0}\n", path: "transforms[0].sample.every", line: 2, reason: "must lie in"),
        Case(yaml: "transforms:\n  - drop: {}\n", path: "transforms[0].drop", line: 2, reason: "drop everything"),
        Case(
            yaml: "transforms:\n  - rename: {metric: a, to: b}\n    scale: {metric: a, factor: 2}\n", path: "transforms[0]", line: 2,
            reason: "one per list item"),
        Case(yaml: "transforms:\n  - explode: {metric: a}\n", path: "transforms[0].explode", line: 2, reason: "unknown key 'explode'"),
        Case(yaml: "transforms:\n  - scale: {metric: a, factor: 0}\n", path: "transforms[0].scale.factor", line: 2, reason: "factor of 0"),
        Case(
            yaml: "quality:\n  expected_services: [a, {b: c}]\n", path: "quality.expected_services[1]", line: 2, reason: "expected a value"),
        Case(yaml: "alerts:\n  rules:\n    - name: r\n      health: [error_rate\n", path: "", line: 5, reason: "invalid YAML"),
        Case(yaml: "alerts:\n\tbad: 1\n", path: "", line: 2, reason: "invalid YAML"),
    ]

    @Test(arguments: cases) func refused(_ c: Case) {
        do {
            let config = try ServiceFileConfig.parse(c.yaml, source: "test.yaml")
            Issue.record("accepted: \(config)")
        } catch {
            #expect(error.path == c.path, "\(error)")
            if let line = c.line { #expect(error.line == line, "\(error)") }
            #expect(error.reason.contains(c.reason), "\(error)")
            #expect(error.source == "test.yaml")
            #expect(error.description.hasPrefix("test.yaml:"))
        }
    }

    @Test func descriptionNamesFileLineAndPath() {
        let e = ConfigError(source: "m.yaml", path: "alerts.rules[2].warning", line: 14, reason: "expected a number, found 'x'")
        #expect(e.description == "m.yaml:14: alerts.rules[2].warning: expected a number, found 'x'")
    }
}
