extension StoreOptions {
    /// A store option that operators set by name: the same variable for every program
    /// (`RETENTION_RAW`, ...) and, in `tsdb`, the matching flag (`--retention-raw`).
    public struct Setting: Sendable {
        public enum Kind: Sendable { case duration, count }

        public let variable: String
        public let flag: String
        public let kind: Kind
        private let set: @Sendable (inout StoreOptions, Int64) -> Void

        init(_ variable: String, _ flag: String, _ kind: Kind, _ set: @escaping @Sendable (inout StoreOptions, Int64) -> Void) {
            self.variable = variable
            self.flag = flag
            self.kind = kind
            self.set = set
        }

        /// What a valid value looks like, for error messages.
        public var expected: String {
            kind == .duration ? "a duration such as 500ms, 15s, 30m, 24h, 7d, 2w, or 0 for forever" : "a positive integer"
        }

        /// Parses `text` into `options`; false when it is not a valid value.
        public func apply(_ text: String, to options: inout StoreOptions) -> Bool {
            switch kind {
            case .duration:
                guard let ms = StoreOptions.parseDuration(text) else { return false }
                set(&options, ms)
            case .count:
                guard let n = Int64(text), n > 0 else { return false }
                set(&options, n)
            }
            return true
        }
    }

    /// Every store option settable by name.
    public static let settings: [Setting] = [
        Setting("RETENTION_RAW", "retention-raw", .duration) { $0.retentionRaw = $1 },
        Setting("RETENTION_1M", "retention-1m", .duration) { $0.rollupRetention[minute] = $1 },
        Setting("RETENTION_1H", "retention-1h", .duration) { $0.rollupRetention[hour] = $1 },
        Setting("BLOCK_DURATION", "block-duration", .duration) { $0.blockDuration = $1 },
        Setting("OUT_OF_ORDER_WINDOW", "out-of-order-window", .duration) { $0.outOfOrderWindow = $1 },
        Setting("MAX_SERIES", "max-series", .count) { $0.maxSeries = Int(clamping: $1) },
        Setting("MAX_HEAD_MB", "max-head-mb", .count) { $0.maxHeadBytes = Int(clamping: $1) << 20 },
    ]
}
