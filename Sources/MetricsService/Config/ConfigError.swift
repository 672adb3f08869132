/// Why a config file was refused: which file, where (key path and line) and what is wrong.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (or "<string>") the text came from.
    public var source: String
    /// Key path of the offending value, e.g. `alerts.rules[2].warning` ("" for the document).
    public var path: String
    /// 1-based line of the offending node, when known.
    public var line: Int?
    /// What is wrong and, where it helps, what is expected.
    public var reason: String

    /// An error at `path` (line `line`) of `source`.
    public init(source: String, path: String, line: Int?, reason: String) {
        self.source = source
        self.path = path
        self.line = line
        self.reason = reason
    }

    /// `file:line: path: reason`, the form editors and CI logs link to.
    public var description: String {
        var s = source
        if let line { s += ":\(line)" }
        s += ": "
        if !path.isEmpty { s += path + ": " }
        return s + reason
    }
}
