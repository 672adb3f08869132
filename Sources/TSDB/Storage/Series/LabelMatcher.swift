/// A label matcher as in PromQL: `=`, `!=`, `=~`, `!~`. Regexes follow Prometheus: RE2 syntax,
/// anchored at both ends, `.` matching newlines; they run in linear time (RE2), and a regex
/// that is only an alternation of literals (`a|b|c`) is a set lookup.
public struct LabelMatcher: Sendable, CustomStringConvertible {
    public enum Op: String, Sendable {
        case equal = "="
        case notEqual = "!="
        case regexMatch = "=~"
        case regexNoMatch = "!~"
    }

    public let name: String
    public let op: Op
    public let value: String
    let pattern: CompiledPattern?

    public init(_ name: String, _ op: Op, _ value: String) throws(StoreError) {
        self.name = name
        self.op = op
        self.value = value
        switch op {
        case .equal, .notEqual: pattern = nil
        case .regexMatch, .regexNoMatch:
            do { pattern = try CompiledPattern.cached(value) } catch {
                throw .invalidOptions("bad regex in matcher \(name)\(op.rawValue)\"\(value)\": \(error)")
            }
        }
    }

    private init(equal name: String, _ value: String) {
        self.name = name
        self.op = .equal
        self.value = value
        pattern = nil
    }

    /// `name="value"`: cannot fail, no regex is compiled.
    public static func equal(_ name: String, _ value: String) -> LabelMatcher { LabelMatcher(equal: name, value) }

    public var isRegex: Bool { pattern != nil }

    /// A missing label matches as the empty string, as in Prometheus.
    public func matches(_ labelValue: String?) -> Bool {
        let v = labelValue ?? ""
        switch op {
        case .equal: return v == value
        case .notEqual: return v != value
        case .regexMatch: return pattern?.matches(v) ?? false
        case .regexNoMatch: return !(pattern?.matches(v) ?? false)
        }
    }

    public var description: String { "\(name)\(op.rawValue)\"\(value)\"" }
}

/// A label regex, compiled once: a literal set, "anything", "anything non-empty", or RE2.
enum CompiledPattern: Sendable {
    case literals(Set<String>)
    case any
    case nonEmpty
    case regex(RE2Regex)

    init(_ pattern: String) throws(RE2Error) {
        if pattern == ".*" {
            self = .any
        } else if pattern == ".+" {
            self = .nonEmpty
        } else if let literals = CompiledPattern.literalAlternation(pattern) {
            self = .literals(literals)
        } else {
            self = .regex(try RE2Regex(pattern))
        }
    }

    func matches(_ s: String) -> Bool {
        switch self {
        case .literals(let set): set.contains(s)
        case .any: true
        case .nonEmpty: !s.isEmpty
        case .regex(let re): re.fullMatch(s)
        }
    }

    /// The alternatives of `a|b|c` when none holds a regex metacharacter.
    static func literalAlternation(_ pattern: String) -> Set<String>? {
        let meta: Set<Character> = ["\\", ".", "+", "*", "?", "(", ")", "[", "]", "{", "}", "^", "$"]
        guard !pattern.contains(where: { meta.contains($0) }) else { return nil }
        return Set(pattern.split(separator: "|", omittingEmptySubsequences: false).map(String.init))
    }

    /// Dashboards send the same few patterns again and again: compile each once.
    static func cached(_ pattern: String) throws(RE2Error) -> CompiledPattern {
        if let hit = cache.withLock({ cacheStorage[pattern] }) { return hit }
        let compiled = try CompiledPattern(pattern)
        cache.withLock {
            if cacheStorage.count >= cacheLimit { cacheStorage.removeAll(keepingCapacity: true) }
            cacheStorage[pattern] = compiled
        }
        return compiled
    }

    static let cacheLimit = 4096
    private static let cache = Lock()
    nonisolated(unsafe) private static var cacheStorage: [String: CompiledPattern] = [:]
}
