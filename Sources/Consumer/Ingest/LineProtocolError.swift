import TSDB

/// Why one InfluxDB line-protocol line was rejected. `reason` is a stable label for counting,
/// `description` says what is wrong, on which line of the message and at which byte.
public struct LineProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Equatable, Sendable {
        /// The line starts with a separator instead of a measurement name.
        case missingMeasurement
        /// A tag is not `key=value` with both parts non-empty.
        case badTag
        /// A tag uses the reserved label name `__name__`.
        case conflictingTag(String)
        /// The line has no field set.
        case missingFields
        /// A field is not `key=value` with a non-empty key.
        case badField
        /// A field value is not a number, integer, unsigned, boolean or string.
        case badFieldValue(String)
        /// A quoted string field has no closing quote.
        case unterminatedString
        /// The timestamp is not an integer or does not fit in Int64 milliseconds.
        case badTimestamp(String)
        /// Bytes follow the timestamp.
        case trailingData
        /// No `service` tag and no fallback (message key, header or topic default).
        case missingService
        /// The series' labels break `LabelLimits`.
        case labelLimit(LabelLimitViolation)
    }

    public var kind: Kind
    /// 0-based line number inside the Kafka message.
    public var line: Int
    /// Byte offset inside the line.
    public var offset: Int

    public init(_ kind: Kind, line: Int = 0, offset: Int) {
        self.kind = kind
        self.line = line
        self.offset = offset
    }

    /// A short machine-friendly label, e.g. "bad_field_value".
    public var reason: String {
        switch kind {
        case .missingMeasurement: "missing_measurement"
        case .badTag: "bad_tag"
        case .conflictingTag: "conflicting_tag"
        case .missingFields: "missing_fields"
        case .badField: "bad_field"
        case .badFieldValue: "bad_field_value"
        case .unterminatedString: "unterminated_string"
        case .badTimestamp: "bad_timestamp"
        case .trailingData: "trailing_data"
        case .missingService: "missing_service"
        case .labelLimit(let v): v.rejection.rawValue
        }
    }

    /// A human message: what is wrong and where.
    public var description: String {
        let what: String
        switch kind {
        case .missingMeasurement: what = "missing measurement name"
        case .badTag: what = "tag must be key=value with a non-empty key and value"
        case .conflictingTag(let name): what = "tag \"\(name)\" conflicts with a reserved label; rename it"
        case .missingFields: what = "missing field set (measurement[,tags] field=value[,...] [timestamp])"
        case .badField: what = "field must be key=value with a non-empty key"
        case .badFieldValue(let text): what = "field value \(text) is not a float, integer (12i), unsigned (12u), boolean or quoted string"
        case .unterminatedString: what = "string field value has no closing quote"
        case .badTimestamp(let text): what = "timestamp \(text) is not an integer in range"
        case .trailingData: what = "unexpected data after the timestamp"
        case .missingService: what = "no service tag, message key, service header or topic default service"
        case .labelLimit(let v): what = "\(v); shorten or drop tags"
        }
        return "line protocol, line \(line + 1), byte \(offset): \(what)"
    }
}
