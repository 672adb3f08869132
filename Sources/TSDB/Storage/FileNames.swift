/// Every name the store puts on disk, in one place (see docs/FORMAT.md).
enum FileNames {
    static let lock = "LOCK"
    static let checkpoint = "checkpoint"
    static let walDirectory = "wal"
    static let blocksDirectory = "blocks"
    static let rollupsDirectory = "rollups"
    static let compactionJournal = "compaction.journal"
    /// Damaged files are moved (never deleted) here, for an operator to inspect.
    static let quarantineDirectory = "quarantine"
    static let tmpSuffix = ".tmp"

    /// A block in one file (format 2): `blocks/<name>.blk`; format-1 blocks are directories.
    static let blockFileSuffix = ".blk"
    static let blockMeta = "meta"
    static let blockIndex = "index"
    static let blockColumns = "columns"

    /// `wal/00000001`: eight decimal digits, increasing.
    static func walSegment(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 8 - s.count)) + s
    }

    static func walSegmentNumber(_ name: String) -> Int? {
        name.count == 8 && name.allSatisfy(\.isNumber) ? Int(name) : nil
    }

    /// Rollup directory of one resolution: `rollups/1m`, `rollups/1h`, `rollups/15s`...
    static func resolutionName(_ ms: Int64) -> String {
        if ms % StoreOptions.day == 0 { return "\(ms / StoreOptions.day)d" }
        if ms % StoreOptions.hour == 0 { return "\(ms / StoreOptions.hour)h" }
        if ms % StoreOptions.minute == 0 { return "\(ms / StoreOptions.minute)m" }
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }
}
