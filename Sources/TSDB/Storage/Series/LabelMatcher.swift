/// A label matcher as in PromQL: `=`, `!=`, `=~`, `!~`. Regexes are anchored at both ends.
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
    private let regex: AnchoredRegex?

    public init(_ name: String, _ op: Op, _ value: String) throws(StoreError) {
        self.name = name
        self.op = op
        self.value = value
        switch op {
        case .equal, .notEqual: regex = nil
        case .regexMatch, .regexNoMatch:
            do { regex = try AnchoredRegex(value) } catch {
                throw .invalidOptions("bad regex in matcher \(name)\(op.rawValue)\"\(value)\": \(error)")
            }
        }
    }

    private init(equal name: String, _ value: String) {
        self.name = name
        self.op = .equal
        self.value = value
        regex = nil
    }

    /// `name="value"`: cannot fail, no regex is compiled.
    public static func equal(_ name: String, _ value: String) -> LabelMatcher { LabelMatcher(equal: name, value) }

    /// A missing label matches as the empty string, as in Prometheus.
    public func matches(_ labelValue: String?) -> Bool {
        let v = labelValue ?? ""
        switch op {
        case .equal: return v == value
        case .notEqual: return v != value
        case .regexMatch: return regex?.matches(v) ?? false
        case .regexNoMatch: return !(regex?.matches(v) ?? false)
        }
    }

    public var description: String { "\(name)\(op.rawValue)\"\(value)\"" }
}

/// Swift Regex over the whole string, wrapped so `LabelMatcher` stays Sendable.
struct AnchoredRegex: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>

    init(_ pattern: String) throws { regex = try Regex("^(?:" + pattern + ")$") }

    func matches(_ s: String) -> Bool { (try? regex.wholeMatch(in: s)) != nil }
}
