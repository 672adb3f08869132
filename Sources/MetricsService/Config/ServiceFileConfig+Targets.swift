import Alerting
import Query
import TSDB

extension ServiceFileConfig {
    /// `health:` (HealthTargets).
    static func parseHealth(_ node: ConfigNode) throws(ConfigError) -> HealthTargets {
        var h = HealthTargets()
        let m = try node.mapping(allowed: [
            "latency_p99_target_ms", "error_budget_percent", "availability_floor_percent", "expected_throughput_rps",
        ])
        if let n = m["latency_p99_target_ms"] { h.latencyP99TargetMs = try positive(n) }
        if let n = m["error_budget_percent"] {
            let v = try n.number()
            guard v > 0, v <= 100 else { throw n.error("a percent in (0, 100], found \(v)") }
            h.errorBudgetPercent = v
        }
        if let n = m["availability_floor_percent"] {
            let v = try n.number()
            guard v >= 0, v < 100 else { throw n.error("a percent in [0, 100), found \(v)") }
            h.availabilityFloorPercent = v
        }
        if let n = m["expected_throughput_rps"] { h.expectedThroughputRps = try positive(n) }
        return h
    }

    /// `slos:`; targets are percents strictly between 0 and 100.
    static func parseSLOs(_ node: ConfigNode) throws(ConfigError) -> [SLOSpec] {
        var out: [SLOSpec] = []
        var names = Set<String>()
        for item in try node.list() {
            let m = try item.mapping(allowed: ["name", "service", "availability", "latency", "period", "metric"])
            let name = try m.required("name").string()
            guard names.insert(name).inserted else { throw item.error("duplicate SLO name '\(name)'") }
            let objective: SLOSpec.Objective
            switch (m["availability"], m["latency"]) {
            case (let a?, nil):
                objective = .availability(target: try percentTarget(a))
            case (nil, let l?):
                let lm = try l.mapping(allowed: ["threshold_ms", "target"])
                objective = .latency(
                    thresholdMs: try positive(try lm.required("threshold_ms")), target: try percentTarget(try lm.required("target")))
            case (.some, .some): throw item.error("an SLO has either 'availability' or 'latency', not both")
            case (nil, nil): throw item.error("an SLO needs 'availability' (percent) or 'latency' ({threshold_ms, target})")
            }
            out.append(
                SLOSpec(
                    name: name, service: try m.required("service").string(), objective: objective,
                    period: try m["period"]?.duration() ?? SLOSpec.defaultPeriod, metric: try m["metric"]?.string() ?? "api_latency_ms"))
        }
        return out
    }

    /// A percent target in (0, 100) as the fraction the SLO types use, read from the decimal text
    /// shifted two places ("99.9" gives the double nearest 0.999; 99.9 / 100 would be 0.9990000000000001).
    static func percentTarget(_ n: ConfigNode) throws(ConfigError) -> Double {
        let v = try n.number()
        guard v > 0, v < 100 else { throw n.error("a target percent lies strictly between 0 and 100, found \(v)") }
        let text = try n.scalarText().trimmingSpaces
        guard !text.contains(where: { $0 == "e" || $0 == "E" }), let exact = Double(text + "e-2") else { return v / 100 }
        return exact
    }

    /// `capacity:`.
    static func parseCapacity(_ node: ConfigNode) throws(ConfigError) -> [CapacitySpec] {
        var out: [CapacitySpec] = []
        var names = Set<String>()
        for item in try node.list() {
            let m = try item.mapping(allowed: ["name", "metric", "service", "limit", "direction", "window", "measure"])
            let name = try m.required("name").string()
            guard names.insert(name).inserted else { throw item.error("duplicate capacity name '\(name)'") }
            out.append(
                CapacitySpec(
                    name: name, metric: try m.required("metric").string(), service: try m["service"]?.string(),
                    limit: try m.required("limit").number(),
                    direction: try m["direction"]?.choice([("above", .above), ("below", .below)]) ?? .above,
                    window: try m["window"]?.duration() ?? 7 * StoreOptions.day,
                    measure: try m["measure"]?.choice([("average", .average), ("event_rate", .eventRate)]) ?? .average))
        }
        return out
    }

    /// `recording_rules:`.
    static func parseRecordingRules(_ node: ConfigNode) throws(ConfigError) -> [RecordingRule] {
        var out: [RecordingRule] = []
        var names = Set<String>()
        for item in try node.list() {
            let m = try item.mapping(allowed: ["record", "expr", "interval", "labels"])
            let recordNode = try m.required("record")
            let record = try recordNode.string()
            guard isMetricName(record) else {
                throw recordNode.error("a series name uses letters, digits, '_' and ':' only, found '\(record)'")
            }
            guard names.insert(record).inserted else { throw recordNode.error("duplicate recording rule '\(record)'") }
            out.append(
                RecordingRule(
                    name: record, expression: try m.required("expr").promQL(),
                    interval: try m["interval"]?.duration() ?? StoreOptions.minute,
                    labels: try labelMap(m["labels"])))
        }
        return out
    }
}
