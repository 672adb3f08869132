import TSDB

/// Where part of an answer came from: raw samples or rollup buckets of a resolution (ms).
public enum Resolution: Hashable, Sendable, CustomStringConvertible {
    case raw, rollup(Int64)

    /// "raw", or the resolution as a duration ("1m", "1h").
    public var description: String {
        switch self {
        case .raw: "raw"
        case .rollup(let r): StoreOptions.formatDuration(r)
        }
    }
}

/// How queries read storage.
public struct QueryOptions: Sendable {
    /// Read raw samples only (exact answers; slow on long windows, empty where raw has expired).
    public var rawOnly = false

    /// Options with `rawOnly` as given.
    public init(rawOnly: Bool = false) { self.rawOnly = rawOnly }
}
