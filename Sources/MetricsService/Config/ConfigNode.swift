import Query
import TSDB
import Yams

/// A YAML node with its key path, read with typed accessors that throw `ConfigError` naming the
/// path and line. Leaves are always scalars, so the work done is linear in the document even
/// when aliases repeat subtrees.
struct ConfigNode {
    let node: Node
    let path: String
    let source: String

    var line: Int? { node.mark?.line }

    func error(_ reason: String) -> ConfigError { ConfigError(source: source, path: path, line: line, reason: reason) }

    /// A child path: `a.b` for keys, `a[3]` for indices.
    func child(_ node: Node, key: String) -> ConfigNode {
        ConfigNode(node: node, path: path.isEmpty ? key : path + "." + key, source: source)
    }

    /// YAML null (`~`, `null`, or nothing after the colon).
    var isNull: Bool {
        guard case .scalar(let s) = node, s.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    private var kindName: String {
        switch node {
        case .scalar: isNull ? "null" : "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    // MARK: Collections

    /// The entries of a mapping, every key one of `allowed` (the YAML parser refuses repeated keys).
    func mapping(allowed: Set<String>) throws(ConfigError) -> ConfigMap {
        try mapping(allowedKey: { allowed.contains($0) }, expected: allowed.sorted().joined(separator: ", "))
    }

    /// The entries of a mapping with free-form string keys (labels, kafka properties).
    func anyKeyMapping() throws(ConfigError) -> ConfigMap {
        try mapping(allowedKey: { _ in true }, expected: "")
    }

    private func mapping(allowedKey: (String) -> Bool, expected: String) throws(ConfigError) -> ConfigMap {
        guard case .mapping(let m) = node else { throw error("expected a mapping, found \(kindName)") }
        var entries: [(String, ConfigNode)] = []
        for (k, v) in m {
            guard case .scalar(let ks) = k, !ks.string.isEmpty else {
                throw ConfigError(source: source, path: path, line: k.mark?.line, reason: "keys must be non-empty strings")
            }
            let key = ks.string
            let keyNode = child(k, key: key)
            guard allowedKey(key) else { throw keyNode.error("unknown key '\(key)' (expected one of: \(expected))") }
            entries.append((key, child(v, key: key)))
        }
        return ConfigMap(owner: self, entries: entries)
    }

    /// The items of a list (null: empty).
    func list() throws(ConfigError) -> [ConfigNode] {
        if isNull { return [] }
        guard case .sequence(let s) = node else { throw error("expected a list, found \(kindName)") }
        return s.enumerated().map { ConfigNode(node: $0.element, path: "\(path)[\($0.offset)]", source: source) }
    }

    /// A list of non-empty strings.
    func stringList() throws(ConfigError) -> [String] {
        var out: [String] = []
        for item in try list() { out.append(try item.string()) }
        return out
    }

    /// A mapping of strings to scalars (as written) (null: empty).
    func stringMap() throws(ConfigError) -> [String: String] {
        if isNull { return [:] }
        var out: [String: String] = [:]
        for (k, v) in try anyKeyMapping().entries { out[k] = try v.scalarText() }
        return out
    }

    // MARK: Scalars

    /// The text of a scalar as written (numbers and booleans too).
    func scalarText() throws(ConfigError) -> String {
        guard case .scalar(let s) = node, !isNull else { throw error("expected a value, found \(kindName)") }
        return s.string
    }

    /// A non-empty string.
    func string() throws(ConfigError) -> String {
        let s = try scalarText()
        guard !s.isEmpty else { throw error("must not be empty") }
        return s
    }

    /// A PromQL expression that parses (evaluation errors show at run time, counted per rule).
    func promQL() throws(ConfigError) -> String {
        let s = try string()
        do { try PromQLEngine.validate(s) } catch { throw self.error("invalid PromQL: \(error)") }
        return s
    }

    /// A finite number.
    func number() throws(ConfigError) -> Double {
        let s = try scalarText()
        guard let d = Double(s.trimmingSpaces), !s.contains(where: { $0.isLetter && $0 != "e" && $0 != "E" }) else {
            throw error("expected a number, found '\(s)'")
        }
        guard d.isFinite else { throw error("must be a finite number, found '\(s)'") }
        return d
    }

    /// An integer within `range`.
    func integer(in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        let s = try scalarText()
        guard let n = Int(s.trimmingSpaces) else { throw error("expected an integer, found '\(s)'") }
        guard range.contains(n) else { throw error("must lie in \(range.lowerBound)...\(range.upperBound), found \(n)") }
        return n
    }

    /// `true` or `false`.
    func bool() throws(ConfigError) -> Bool {
        switch try scalarText().lowercased() {
        case "true": return true
        case "false": return false
        case let s: throw error("expected true or false, found '\(s)'")
        }
    }

    /// A duration in ms: `"30s"`, `"5m"`, `"1h"`, `"30d"`, `"500ms"` or an integer of ms;
    /// at least `minimum` (1 unless zero is meaningful).
    func duration(minimum: Int64 = 1) throws(ConfigError) -> Int64 {
        let s = try scalarText()
        guard let ms = Int64(s.trimmingSpaces) ?? StoreOptions.parseDuration(s) else {
            throw error("expected a duration such as 30s, 5m, 1h, 30d or an integer of milliseconds, found '\(s)'")
        }
        guard ms >= minimum else {
            throw error(minimum == 1 ? "duration must be positive, found '\(s)'" : "duration must be at least \(minimum) ms")
        }
        return ms
    }

    /// One of `choices` (by name).
    func choice<T>(_ choices: [(String, T)]) throws(ConfigError) -> T {
        let s = try scalarText()
        guard let hit = choices.first(where: { $0.0 == s }) else {
            throw error("unknown value '\(s)' (expected one of: \(choices.map(\.0).joined(separator: ", ")))")
        }
        return hit.1
    }
}

/// The entries of one YAML mapping, by key, in document order.
struct ConfigMap {
    let owner: ConfigNode
    let entries: [(String, ConfigNode)]

    /// The value of `key`; nil when absent or null.
    subscript(key: String) -> ConfigNode? {
        guard let v = entries.first(where: { $0.0 == key })?.1, !v.isNull else { return nil }
        return v
    }

    /// The value of `key`, which must be present.
    func required(_ key: String) throws(ConfigError) -> ConfigNode {
        guard let v = self[key] else { throw owner.error("missing required key '\(key)'") }
        return v
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}
