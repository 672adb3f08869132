#if canImport(Glibc)
    import Glibc
#endif

/// Appends framed records to numbered segment files in `wal/`, tracks what is durable, and
/// removes segments whose records all reached blocks. Not thread-safe: the store's state lock
/// guards it.
final class WALWriter {
    let directory: String
    let fs: FileSystem
    let segmentBytes: Int
    /// Closed segments: number -> highest record seq in it.
    private(set) var closedSegments: [Int: UInt64]
    private var current: FileHandle?
    private(set) var currentNumber: Int
    private var currentMaxSeq: UInt64 = 0
    private var size: Int64 = 0
    private var durableSize: Int64 = 0

    /// Starts a new segment after `closedSegments` (the ones replay found).
    init(directory: String, fs: FileSystem, segmentBytes: Int, closedSegments: [Int: UInt64]) {
        self.directory = directory
        self.fs = fs
        self.segmentBytes = segmentBytes
        self.closedSegments = closedSegments
        currentNumber = (closedSegments.keys.max() ?? 0) + 1
    }

    var path: String { directory + "/" + FileNames.walSegment(currentNumber) }

    private func openCurrent() throws(IOError) -> FileHandle {
        if let current { return current }
        let file = try FileHandle(creatingAt: path, fileSystem: fs)
        do {
            try file.write(WALFormat.segmentHeader)
            try file.sync()
            try fs.syncDirectory(directory)
        } catch {
            file.close()
            try? fs.remove(path)
            throw error
        }
        current = file
        size = Int64(WALFormat.headerSize)
        durableSize = size
        currentMaxSeq = 0
        return file
    }

    /// Writes one framed record. On failure the segment is cut back to its last complete record.
    func write(_ framed: [UInt8], seq: UInt64) throws(IOError) {
        if size > 0 && size + Int64(framed.count) > Int64(segmentBytes) { try rotate() }
        let file = try openCurrent()
        do {
            try file.write(framed)
        } catch {
            try? file.truncate(to: size)
            throw error
        }
        size += Int64(framed.count)
        currentMaxSeq = max(currentMaxSeq, seq)
    }

    /// fdatasync of the current segment: every record written so far is durable after this.
    func sync() throws(IOError) {
        guard let current, size > durableSize else { return }
        try current.sync()
        durableSize = size
    }

    /// What a group-commit fsync outside the state lock needs: a duplicate descriptor of the
    /// current segment (valid even if the segment is rotated meanwhile) and the size it covers.
    func prepareSync() -> (fd: Int32, path: String, size: Int64, segment: Int)? {
        guard let current, size > durableSize else { return nil }
        let fd = dup(current.fd)
        return fd < 0 ? nil : (fd, path, size, currentNumber)
    }

    /// Records that `size` bytes of `segment` are durable (ignored when the segment changed:
    /// rotation synced it already).
    func markDurable(size: Int64, segment: Int) {
        if segment == currentNumber && size > durableSize { durableSize = size }
    }

    /// Drops every record written since the last successful sync (their appends failed), so
    /// replay never resurrects a batch that was not acknowledged. If even that fails the segment
    /// is abandoned: the next write starts a new one, and replay cuts the abandoned tail.
    func rollbackToDurable() {
        guard let current else { return }
        do {
            try current.truncate(to: durableSize)
            try current.sync()
            size = durableSize
        } catch {
            closeCurrent()
        }
    }

    /// Closes the current segment (synced) and starts the next one on the next write.
    func rotate() throws(IOError) {
        guard current != nil else { return }
        try sync()
        closeCurrent()
    }

    /// Closes the current segment as it is; the next write starts segment `currentNumber + 1`.
    private func closeCurrent() {
        current?.close()
        current = nil
        closedSegments[currentNumber] = currentMaxSeq
        currentNumber += 1
        size = 0
        durableSize = 0
    }

    /// Deletes closed segments whose records are all at or below `seq` (they are in blocks).
    func removeSegments(throughSeq seq: UInt64) {
        for (n, maxSeq) in closedSegments where maxSeq <= seq {
            if (try? fs.remove(directory + "/" + FileNames.walSegment(n))) != nil { closedSegments[n] = nil }
        }
    }

    func close() {
        try? sync()
        current?.close()
        current = nil
    }

    var totalBytes: Int64 {
        closedSegments.keys.reduce(size) { $0 + fs.fileSize(directory + "/" + FileNames.walSegment($1)) }
    }
}
