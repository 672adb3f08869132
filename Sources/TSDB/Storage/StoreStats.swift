/// Counters a store exposes for self-monitoring (names follow `tsdb_*` metric conventions).
public struct StoreStats: Sendable, Equatable {
    public var appendedSamples = 0
    public var appendedBatches = 0
    public var duplicateBatches = 0
    public var rejected: [RejectionReason: Int] = [:]
    /// Damaged WAL stretches found on open (torn tails included).
    public var walCorruptions = 0
    /// WAL damage that may have lost acknowledged data (not a torn tail): the store is degraded.
    public var walDamagedRecords = 0
    /// Files under `quarantine/` (damaged blocks, checkpoints, WAL segments): the store is
    /// degraded while any is there.
    public var quarantined: [String] = []
    public var walFsyncs = 0
    public var failedAppends = 0
    public var headCuts = 0
    public var cutFailures = 0
    public var compactions = 0
    public var corruptBlocks: [String] = []
}

/// What opening found: WAL replay figures and blocks that could not be read.
public struct OpenReport: Sendable {
    public var wal = WALReplayReport()
    public var replaySeconds = 0.0
    public var blocks = 0
    /// Blocks that failed to open (corrupt meta, index or header); the rest stay readable.
    public var corruptBlocks: [CorruptionError] = []
    /// A checkpoint that could not be decoded: moved to quarantine, series rebuilt from blocks and WAL.
    public var corruptCheckpoint: CorruptionError?
    /// A compaction interrupted by a crash that opening finished or rolled back.
    public var recoveredCompaction: String?
}
