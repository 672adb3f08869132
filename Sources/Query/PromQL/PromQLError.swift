/// A failed PromQL query: what went wrong and, for parse errors, where (Prometheus wording).
public struct PromQLError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The error class; `rawValue` is the Prometheus HTTP API `errorType`.
    ///
    /// Spelled out by hand because `parse` and `unsupported` share the raw value `bad_data`,
    /// which a `String`-backed enum does not allow.
    public enum Kind: RawRepresentable, Sendable, Hashable {
        case parse, unsupported, execution, timeout, canceled

        public var rawValue: String {
            switch self {
            case .parse, .unsupported: return "bad_data"
            case .execution: return "execution"
            case .timeout: return "timeout"
            case .canceled: return "canceled"
            }
        }

        public init?(rawValue: String) {
            switch rawValue {
            case "bad_data": self = .parse
            case "execution": self = .execution
            case "timeout": self = .timeout
            case "canceled": self = .canceled
            default: return nil
            }
        }
    }

    public var kind: Kind
    /// 0-based character offset in the query, when known.
    public var position: Int?
    /// The problem; for parse errors prefixed "line:column: parse error: " as Prometheus does.
    public var message: String

    public init(kind: Kind, position: Int? = nil, message: String) {
        self.kind = kind
        self.position = position
        self.message = message
    }

    public var description: String { message }

    /// A parse error at `position` of `query`, worded "1:14: parse error: <reason>".
    static func parse(_ reason: String, at position: Int, in query: [Unicode.Scalar]) -> PromQLError {
        PromQLError(kind: .parse, position: position, message: "\(lineColumn(position, query)): parse error: \(reason)")
    }

    /// A construct this engine does not implement, named exactly.
    static func unsupported(_ what: String, at position: Int, in query: [Unicode.Scalar]) -> PromQLError {
        PromQLError(kind: .unsupported, position: position, message: "\(lineColumn(position, query)): unsupported: \(what)")
    }

    static func execution(_ message: String) -> PromQLError { PromQLError(kind: .execution, message: message) }

    /// 1-based "line:column" of a 0-based offset.
    private static func lineColumn(_ position: Int, _ query: [Unicode.Scalar]) -> String {
        var line = 1
        var column = 1
        for c in query[..<min(position, query.count)] {
            if c == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return "\(line):\(column)"
    }
}
