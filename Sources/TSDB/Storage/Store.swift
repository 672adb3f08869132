#if canImport(Glibc)
    import Glibc
#endif

/// A time-series store in one directory: WAL + head for recent samples, immutable raw blocks,
/// rollup blocks, and the checkpoint that ties them together. Thread-safe: appends from several
/// threads share fsyncs (group commit); reads run concurrently with appends.
public final class Store: @unchecked Sendable {
    public let directory: String
    public let options: StoreOptions
    let fs: FileSystem

    /// Guards everything below until the commit section.
    let stateLock = Lock()
    var series = SeriesTable()
    var head = Head()
    /// Heads taken out of service by a cut, oldest first, until their block is published:
    /// read like the head, written to blocks outside the state lock.
    var frozenHeads: [Head] = []
    var wal: WALWriter
    var rawBlocks: [BlockReader] = []
    var rollupBlocks: [Int64: [BlockReader]] = [:]
    var positions: [String: Int64] = [:]
    /// Positions including batches written but not yet durable (replay detection).
    var pendingPositions: [String: Int64] = [:]
    /// WAL seq of the last record written and of the last durable one.
    var writtenSeq: UInt64 = 0
    var durableSeq: UInt64 = 0
    /// Batches written to the WAL but not yet durable, in seq order.
    var pending: [PendingBatch] = []
    /// Seqs at or below this that are not durable failed (their appends threw).
    var failedThroughSeq: UInt64 = 0
    var lastFailure: IOError?
    var flushedSeq: UInt64 = 0
    var statsStorage = StoreStats()
    var isClosed = false

    /// Held by the appender that fsyncs for the group (never while waiting for the state lock
    /// is held by the same thread: always taken first).
    let commitLock = Lock()
    /// One compaction at a time.
    let compactionLock = Lock()
    /// One writer of frozen heads (and of the checkpoint) at a time.
    let cutLock = Lock()
    /// Set by a background compactor: appends that freeze the head wake it instead of writing
    /// the block themselves.
    var cutRequested: (@Sendable () -> Void)?
    private let lockFD: Int32
    public internal(set) var openReport = OpenReport()

    var walDirectory: String { directory + "/" + FileNames.walDirectory }
    var blocksDirectory: String { directory + "/" + FileNames.blocksDirectory }
    var quarantineDirectory: String { directory + "/" + FileNames.quarantineDirectory }
    func rollupDirectory(_ resolution: Int64) -> String {
        directory + "/" + FileNames.rollupsDirectory + "/" + FileNames.resolutionName(resolution)
    }

    /// Opens (creating if needed) the store in `directory`: finishes or rolls back an interrupted
    /// compaction, loads blocks, replays the WAL (cutting a corrupt tail) and takes the lock.
    public init(directory: String, options: StoreOptions = StoreOptions(), fileSystem: FileSystem = .posix) throws(StoreError) {
        try options.validate()
        self.directory = directory
        self.options = options
        fs = fileSystem
        do {
            try fs.makeDirectories(directory)
            try fs.makeDirectory(directory + "/" + FileNames.walDirectory)
            try fs.makeDirectory(directory + "/" + FileNames.blocksDirectory)
            try fs.makeDirectory(directory + "/" + FileNames.rollupsDirectory)
            for r in options.rollupResolutions {
                try fs.makeDirectory(directory + "/" + FileNames.rollupsDirectory + "/" + FileNames.resolutionName(r))
            }
        } catch { throw .io(error) }
        let lockPath = directory + "/" + FileNames.lock
        lockFD = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lockFD >= 0 else { throw .io(IOError("open", path: lockPath, errno: errno)) }
        guard flock(lockFD, LOCK_EX | LOCK_NB) == 0 else {
            Glibc.close(lockFD)
            throw .locked(path: lockPath)
        }
        wal = WALWriter(
            directory: directory + "/" + FileNames.walDirectory, fs: fileSystem, segmentBytes: options.walSegmentBytes, closedSegments: [:])
        do {
            try recover()
        } catch {
            Glibc.close(lockFD)
            throw error
        }
    }

    deinit {
        if !isClosed { try? close() }
    }

    /// Flushes nothing to blocks (the WAL holds the head); syncs the WAL and releases the lock.
    public func close() throws(StoreError) {
        stateLock.lock()
        defer { stateLock.unlock() }
        guard !isClosed else { return }
        isClosed = true
        wal.close()
        flock(lockFD, LOCK_UN)
        Glibc.close(lockFD)
    }

    public var stats: StoreStats { stateLock.withLock { statsStorage } }

    /// The source positions of the last durable batch for each source key.
    public func sourcePositions() -> SourcePositions { stateLock.withLock { positions } }

    public var seriesCount: Int { stateLock.withLock { series.count } }
}
