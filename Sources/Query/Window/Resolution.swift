import TSDB

/// Where part of an answer came from: raw samples or rollup buckets of a resolution (ms).
public enum Resolution: Hashable, Sendable, CustomStringConvertible {
    case raw
    case rollup(Int64)

    /// "raw", or the resolution as a duration ("1m", "1h").
    public var description: String {
        switch self {
        case .raw: "raw"
        case .rollup(let r): StoreOptions.formatDuration(r)
        }
    }
}
