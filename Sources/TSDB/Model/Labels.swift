/// One label of a series: `__name__` holds the metric type, `service` the service, the rest are tags.
public struct Label: Hashable, Comparable, Sendable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    public static func < (a: Label, b: Label) -> Bool { a.name < b.name || (a.name == b.name && a.value < b.value) }
}

/// The identity of a series: labels sorted by name, names unique, values non-empty.
public struct Labels: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let metricName = "__name__"
    public static let service = "service"

    public private(set) var pairs: [Label]

    /// Sorts and de-duplicates (last value wins) and drops empty values, as Prometheus does.
    public init(_ pairs: [Label]) {
        var sorted = pairs.filter { !$0.value.isEmpty }
        sorted.sort { $0.name < $1.name }
        var unique: [Label] = []
        unique.reserveCapacity(sorted.count)
        for p in sorted {
            if let last = unique.last, last.name == p.name { unique[unique.count - 1] = p } else { unique.append(p) }
        }
        self.pairs = unique
    }

    public init(_ dict: [String: String]) { self.init(dict.map { Label($0.key, $0.value) }) }

    /// A series of metric `type` from `service` with extra `tags`.
    public init(type: String, service: String, tags: [String: String] = [:]) {
        var p = tags.map { Label($0.key, $0.value) }
        p.append(Label(Labels.metricName, type))
        p.append(Label(Labels.service, service))
        self.init(p)
    }

    public subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

    public var metricType: String { self[Labels.metricName] ?? "" }
    public var serviceName: String { self[Labels.service] ?? "" }

    /// Every label but `__name__` and `service`.
    public var tags: [String: String] {
        var d: [String: String] = [:]
        for p in pairs where p.name != Labels.metricName && p.name != Labels.service { d[p.name] = p.value }
        return d
    }

    public static func < (a: Labels, b: Labels) -> Bool { a.pairs.lexicographicallyPrecedes(b.pairs) }

    /// `type{name="value", ...}` in Prometheus style.
    public var description: String {
        let rest = pairs.filter { $0.name != Labels.metricName }.map { "\($0.name)=\"\($0.value)\"" }
        return metricType + "{" + rest.joined(separator: ", ") + "}"
    }
}
