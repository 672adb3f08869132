/// Why one JSON event line was rejected. `reason` is a stable label for counting
/// (`import_rejected_total{reason}`), `description` says what is wrong and where.
public enum EventParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The line is empty or only whitespace (importers usually skip these).
    case emptyLine
    /// The bytes are not valid JSON (or not the strict subset we accept) at `offset`.
    case invalidJSON(offset: Int, reason: String)
    /// The line holds a JSON value that is not an object.
    case notAnObject
    /// A required field (`service`, `type`, `value`, `timestamp`) is absent.
    case missingField(String)
    /// A field holds a JSON value of the wrong kind.
    case wrongType(field: String, expected: String)
    /// `service`, `type` or a tag name is the empty string.
    case emptyField(String)
    /// A key occurs twice in the event object or in `tags` (`tags.<name>`).
    case duplicateField(String)
    /// The timestamp is out of range or not RFC 3339.
    case badTimestamp(String)
    /// The value is out of range or an unknown string.
    case badValue(String)
    /// A tag uses a reserved label name (`service`, `__name__`).
    case conflictingTag(String)
    /// Non-whitespace bytes follow the closing brace at `offset`.
    case trailingData(offset: Int)
    /// The series' labels break `LabelLimits` (too many, or too long).
    case labelLimit(LabelLimitViolation)

    /// A short machine-friendly label, e.g. "missing_field".
    public var reason: String {
        switch self {
        case .emptyLine: "empty_line"
        case .invalidJSON: "invalid_json"
        case .notAnObject: "not_an_object"
        case .missingField: "missing_field"
        case .wrongType: "wrong_type"
        case .emptyField: "empty_field"
        case .duplicateField: "duplicate_field"
        case .badTimestamp: "bad_timestamp"
        case .badValue: "bad_value"
        case .conflictingTag: "conflicting_tag"
        case .trailingData: "trailing_data"
        case .labelLimit(let v): v.rejection.rawValue
        }
    }

    /// A human message: what is wrong and where.
    public var description: String {
        switch self {
        case .emptyLine: "empty line"
        case .invalidJSON(let offset, let reason): "invalid JSON at byte \(offset): \(reason)"
        case .notAnObject: "the line is not a JSON object"
        case .missingField(let f): "missing field \"\(f)\""
        case .wrongType(let f, let expected): "field \"\(f)\" must be \(expected)"
        case .emptyField(let f): "field \"\(f)\" must not be empty"
        case .duplicateField(let f): "field \"\(f)\" occurs more than once (ambiguous, so rejected)"
        case .badTimestamp(let why): "bad timestamp: \(why)"
        case .badValue(let why): "bad value: \(why)"
        case .conflictingTag(let name): "tag \"\(name)\" conflicts with a reserved label; rename it"
        case .trailingData(let offset): "unexpected data after the event object at byte \(offset)"
        case .labelLimit(let v): "\(v); shorten or drop tags"
        }
    }
}
