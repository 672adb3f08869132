import Consumer

extension ServiceFileConfig {
    /// `transforms:`: a list of one-key mappings (`- rename: {metric: a, to: b}`), kept in order.
    static func parseTransforms(_ node: ConfigNode) throws(ConfigError) -> [TransformSpec] {
        var out: [TransformSpec] = []
        for item in try node.list() {
            let outer = try item.mapping(allowed: ["rename", "scale", "drop", "sample", "enrich"])
            guard outer.entries.count == 1, let (kind, body) = outer.entries.first else {
                throw item.error("each transform is one of rename, scale, drop, sample, enrich (one per list item)")
            }
            out.append(try parseTransform(kind, body))
        }
        return out
    }

    static func parseTransform(_ kind: String, _ body: ConfigNode) throws(ConfigError) -> TransformSpec {
        switch kind {
        case "rename":
            let m = try body.mapping(allowed: ["metric", "to"])
            return .rename(metric: try m.required("metric").string(), to: try metricName(m.required("to")))
        case "scale":
            let m = try body.mapping(allowed: ["metric", "factor", "rename"])
            let factorNode = try m.required("factor")
            let factor = try factorNode.number()
            guard factor != 0 else { throw factorNode.error("a factor of 0 erases the data; use drop") }
            return .scale(
                metric: try m.required("metric").string(), factor: factor,
                rename: try m["rename"].map { n throws(ConfigError) in try metricName(n) })
        case "drop":
            let m = try body.mapping(allowed: ["metric", "match"])
            let metric = try m["metric"]?.string()
            let match = try labelMatch(m["match"])
            guard metric != nil || !match.isEmpty else {
                throw body.error("drop needs 'metric', 'match' or both (it would drop everything)")
            }
            return .drop(metric: metric, match: match)
        case "sample":
            let m = try body.mapping(allowed: ["metric", "every"])
            return .sample(metric: try m.required("metric").string(), every: try m.required("every").integer(in: 1...1_000_000))
        default:  // "enrich"; the mapping accepted no other key
            let m = try body.mapping(allowed: ["match", "tags"])
            let tagsNode = try m.required("tags")
            let tags = try labelMap(tagsNode)
            guard !tags.isEmpty else { throw tagsNode.error("enrich needs at least one tag") }
            return .enrich(match: try labelMatch(m["match"]), tags: tags)
        }
    }

    /// Match conditions: label names (or `__name__`) to values.
    static func labelMatch(_ node: ConfigNode?) throws(ConfigError) -> [String: String] {
        guard let node else { return [:] }
        var out: [String: String] = [:]
        for (k, v) in try node.anyKeyMapping().entries {
            guard isLabelName(k) else { throw v.error("invalid label name '\(k)'") }
            out[k] = try v.string()
        }
        return out
    }

    /// A new metric name, restricted to what PromQL can select.
    static func metricName(_ n: ConfigNode) throws(ConfigError) -> String {
        let s = try n.string()
        guard isMetricName(s) else { throw n.error("a metric name uses letters, digits, '_' and ':' only, found '\(s)'") }
        return s
    }
}

/// A built-in `MetricAggregator` named in the config file's `aggregators` list.
public enum AggregatorSpec: String, Sendable, Equatable {
    /// Per service and type, events stored per minute, as `ingested_events{service,type}`.
    case ingestCount = "ingest_count"

    static let names: [(String, AggregatorSpec)] = [("ingest_count", .ingestCount)]

    /// The aggregator this names.
    public func makeAggregator() -> any MetricAggregator {
        switch self {
        case .ingestCount: IngestCountAggregator()
        }
    }
}
