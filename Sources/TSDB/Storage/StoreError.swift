/// Why the store refused an operation. Every case says what failed, where, and what to do.
public enum StoreError: Error, Sendable, CustomStringConvertible, Equatable {
    case invalidOptions(String)
    /// A file's bytes are not what its format says: `file`, byte `offset`, `reason`.
    case corruption(CorruptionError)
    case io(IOError)
    /// Another process holds the store's lock file.
    case locked(path: String)
    case closed
    /// A new series the store refuses (over `maxSeries`, or labels that cannot name a series).
    case seriesRejected(labels: String, reason: RejectionReason)

    public var description: String {
        switch self {
        case .invalidOptions(let s): return "invalid store options: \(s)"
        case .corruption(let c): return c.description
        case .io(let e): return "I/O error: \(e)"
        case .locked(let p): return "store is in use by another process (lock \(p)); stop it or choose another --data-dir"
        case .closed: return "store is closed"
        case .seriesRejected(let labels, let reason):
            return "series \(labels) rejected (\(reason.rawValue)): "
                + (reason == .cardinalityLimit
                    ? "raise --max-series or drop high-cardinality tags"
                    : "a series needs a metric name and label names of [A-Za-z_][A-Za-z0-9_]*")
        }
    }
}

/// A corrupt byte range, named precisely enough to find it with a hex dump.
public struct CorruptionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var offset: Int64
    public var reason: String
    /// The series whose column is affected, when there is one.
    public var series: String?

    public init(file: String, offset: Int64, reason: String, series: String? = nil) {
        self.file = file
        self.offset = offset
        self.reason = reason
        self.series = series
    }

    public var description: String {
        "corrupt \(file) at byte \(offset)" + (series.map { " (series \($0))" } ?? "") + ": \(reason)"
    }
}

/// Why a single sample was not stored; counted per reason in `StoreStats`.
public enum RejectionReason: String, Error, Sendable, CaseIterable, Hashable {
    /// Older than the series' newest sample by more than the out-of-order window.
    case tooOld = "too_old"
    /// A new series beyond `maxSeries`.
    case cardinalityLimit = "cardinality_limit"
    /// A series with no labels, no `__name__`, or an invalid label name.
    case invalidSeries = "invalid_series"
    /// A timestamp outside `SampleLimits` (1970-01-01 ..< 2200-01-01).
    case timestampOutOfRange = "timestamp_out_of_range"
    /// More labels than `LabelLimits.maxLabels`.
    case tooManyLabels = "too_many_labels"
    /// A label name longer than `LabelLimits.maxNameBytes`.
    case labelNameTooLong = "label_name_too_long"
    /// A label value longer than `LabelLimits.maxValueBytes`.
    case labelValueTooLong = "label_value_too_long"
    /// Labels longer together than `LabelLimits.maxTotalBytes`.
    case labelsTooLarge = "labels_too_large"
}
