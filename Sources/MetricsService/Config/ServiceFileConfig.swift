import Alerting
import Consumer
import Foundation
import Query
import TSDB
import Yams

/// The service's config file (`CONFIG_FILE` / `--config`; shipped default `config/metrics.yaml`).
/// Every key is documented in docs/ALERTS.md, "Configuration file".
public struct ServiceFileConfig: Sendable, Equatable {
    /// librdkafka properties, passed through as written.
    public var kafka: [String: String] = [:]
    public var alerts = AlertsConfig()
    public var anomaly = AnomalyConfig()
    /// Targets of the composite health score.
    public var health = HealthTargets()
    public var slos: [SLOSpec] = []
    public var capacity: [CapacitySpec] = []
    public var recordingRules: [RecordingRule] = []
    /// Applied in order to every accepted event before it is stored.
    public var transforms: [TransformSpec] = []
    /// Event validation: clock tolerances and per-type value ranges.
    public var validation = EventValidatorConfig()
    /// Built-in aggregators fed with every stored event (`ingest_count`: per-minute `ingested_events{service,type}`).
    public var aggregators: [AggregatorSpec] = []
    /// Services the data-quality report expects to hear from.
    public var expectedServices: [String] = []

    /// Built-in defaults for every section; no SLOs, capacity checks, recording rules or transforms.
    public init() {}

    /// Top-level keys of the file.
    static let sections: Set<String> = [
        "kafka", "alerts", "anomaly", "health", "slos", "capacity", "recording_rules", "transforms", "aggregators", "validation", "quality",
    ]

    /// Parses YAML text; `source` names the file in errors.
    public static func parse(_ yaml: String, source: String) throws(ConfigError) -> ServiceFileConfig {
        try checkNesting(yaml, source: source)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw yamlError(error, source: source)
        }
        var config = ServiceFileConfig()
        guard let root else { return config }
        let top = ConfigNode(node: root, path: "", source: source)
        if top.isNull { return config }
        let doc = try top.mapping(allowed: sections)
        if let n = doc["kafka"] { config.kafka = try n.stringMap() }
        if let n = doc["alerts"] { config.alerts = try parseAlerts(n) }
        if let n = doc["anomaly"] { config.anomaly = try parseAnomaly(n) }
        if let n = doc["health"] { config.health = try parseHealth(n) }
        if let n = doc["slos"] { config.slos = try parseSLOs(n) }
        if let n = doc["capacity"] { config.capacity = try parseCapacity(n) }
        if let n = doc["recording_rules"] { config.recordingRules = try parseRecordingRules(n) }
        if let n = doc["transforms"] { config.transforms = try parseTransforms(n) }
        if let n = doc["validation"] { config.validation = try parseValidation(n) }
        if let n = doc["aggregators"] {
            config.aggregators = try n.list().map { item throws(ConfigError) in try item.choice(AggregatorSpec.names) }
        }
        if let n = doc["quality"] {
            let q = try n.mapping(allowed: ["expected_services"])
            if let s = q["expected_services"] { config.expectedServices = try s.stringList() }
        }
        return config
    }

    /// Reads and parses a file.
    public static func load(path: String) throws(ConfigError) -> ServiceFileConfig {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigError(source: path, path: "", line: nil, reason: "cannot read the file: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(source: path, path: "", line: nil, reason: "the file is not valid UTF-8")
        }
        return try parse(text, source: path)
    }

    /// The shipped default (`defaultYAML`, same content as config/metrics.yaml).
    public static func defaults() -> ServiceFileConfig {
        var c = ServiceFileConfig()
        c.anomaly.metrics = [.p99LatencyMs, .errorRate, .throughputRps]
        c.anomaly.series = ["cpu_usage_percent"]
        c.slos = [
            SLOSpec(name: "recommendation-availability", service: "recommendation-api", objective: .availability(target: 0.999)),
            SLOSpec(name: "recommendation-latency", service: "recommendation-api", objective: .latency(thresholdMs: 500, target: 0.99)),
        ]
        c.capacity = [
            CapacitySpec(name: "cpu", metric: "cpu_usage_percent", limit: 90),
            CapacitySpec(
                name: "recommendation-api-throughput", metric: "api_latency_ms", service: "recommendation-api", limit: 2000,
                measure: .eventRate),
        ]
        c.recordingRules = RecordingRule.examples
        return c
    }

    /// Deepest flow (`[`, `{`) nesting and widest indentation accepted: the YAML composer
    /// recurses per level, so absurd nesting must be refused before it can exhaust the stack.
    static let maxFlowDepth = 32
    static let maxIndent = 128

    /// Refuses text nested deeper than any config needs (counts brackets outside comments;
    /// brackets inside quoted strings only over-estimate, and balanced ones cancel out).
    static func checkNesting(_ yaml: String, source: String) throws(ConfigError) {
        var depth = 0
        var line = 1
        var indent = 0
        var atLineStart = true
        var inComment = false
        for b in yaml.utf8 {
            if b == 0x0A {
                line += 1
                indent = 0
                atLineStart = true
                inComment = false
                continue
            }
            if atLineStart {
                // Block nesting needs indentation (or "- " / "? " markers) for every level.
                if b == 0x20 || b == 0x09 || b == 0x2D || b == 0x3F {
                    indent += 1
                    if indent > maxIndent {
                        throw ConfigError(
                            source: source, path: "", line: line, reason: "nested or indented deeper than \(maxIndent) columns")
                    }
                    continue
                }
                atLineStart = false
            }
            if inComment { continue }
            switch b {
            case 0x23: inComment = true  // '#'
            case 0x5B, 0x7B:
                depth += 1
                if depth > maxFlowDepth {
                    throw ConfigError(source: source, path: "", line: line, reason: "flow collections nested deeper than \(maxFlowDepth)")
                }
            case 0x5D, 0x7D: depth = max(0, depth - 1)
            default: break
            }
        }
    }

    /// A YAML syntax error as a `ConfigError` with the line libyaml reported.
    static func yamlError(_ error: any Error, source: String) -> ConfigError {
        guard let e = error as? YamlError else {
            return ConfigError(source: source, path: "", line: nil, reason: "invalid YAML: \(error)")
        }
        switch e {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let what = context.map { "\($0.text) " } ?? ""
            return ConfigError(source: source, path: "", line: mark.line, reason: "invalid YAML: \(what)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return ConfigError(
                source: source, path: "", line: context.mark.line, reason: "duplicate key \(keys) in the mapping starting here")
        case .reader(let problem, _, _, _):
            return ConfigError(source: source, path: "", line: nil, reason: "invalid YAML: \(problem)")
        default:
            return ConfigError(source: source, path: "", line: nil, reason: "invalid YAML: \(e)")
        }
    }
}
