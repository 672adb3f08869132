import Consumer

extension ServiceFileConfig {
    /// `validation`: the clock tolerances and per-type value ranges of `EventValidator`. Ranges
    /// from the file are checked before the built-in ones (the first matching range applies), so
    /// a file can tighten or loosen any of them.
    static func parseValidation(_ node: ConfigNode) throws(ConfigError) -> EventValidatorConfig {
        let m = try node.mapping(allowed: ["future_tolerance", "max_age", "ranges"])
        var c = EventValidatorConfig()
        if let n = m["future_tolerance"] { c.futureToleranceMs = try n.duration(minimum: 0) }
        if let n = m["max_age"] { c.maxAgeMs = try n.duration() }
        if let n = m["ranges"] {
            var ranges: [RangeRule] = []
            for item in try n.list() {
                let r = try item.mapping(allowed: ["type", "suffix", "contains", "min", "max"])
                let given = ["type", "suffix", "contains"].filter { r[$0] != nil }
                guard given.count == 1, let key = given.first, let matchNode = r[key] else {
                    throw item.error("a range names exactly one of 'type', 'suffix', 'contains'")
                }
                let text = try matchNode.string()
                let match: RangeRule.Match = key == "type" ? .exact(text) : key == "suffix" ? .suffix(text) : .contains(text)
                let min = try r["min"]?.number() ?? -.infinity
                let max = try r["max"]?.number() ?? .infinity
                guard min <= max else { throw item.error("min \(min) is above max \(max)") }
                ranges.append(RangeRule(match, min: min, max: max))
            }
            c.rules = ranges + RangeRule.defaults
        }
        return c
    }
}
