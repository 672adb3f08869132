/// What opening the WAL found: how much it replayed and where (if anywhere) it cut a bad tail.
public struct WALReplayReport: Sendable {
    public var segments = 0
    public var records = 0
    public var samples = 0
    public var bytes: Int64 = 0
    /// The first bad record: file, offset and reason. Everything from there on was cut.
    public var corruption: CorruptionError?
    /// Segments after the corrupt one that were removed.
    public var removedSegments: [String] = []
}

enum WALReader {
    /// Replays every segment in order, calling `body` for each good record. A torn or corrupt
    /// record ends the log there: with `repair` the segment is cut at the last good record and
    /// later segments are removed (as Prometheus' WAL repair does); without, nothing is changed.
    /// Returns the report and, per remaining segment, the highest record seq it holds.
    static func replay(
        directory: String, fs: FileSystem, repair: Bool, _ body: (WALRecord) throws -> Void
    ) throws -> (WALReplayReport, [Int: UInt64]) {
        var report = WALReplayReport()
        var maxSeqs: [Int: UInt64] = [:]
        let numbers = try fs.list(directory).compactMap(FileNames.walSegmentNumber)
        var lastSeq: UInt64 = 0
        for (position, n) in numbers.enumerated() {
            let path = directory + "/" + FileNames.walSegment(n)
            let bytes = try fs.readFile(path)
            report.segments += 1
            report.bytes += Int64(bytes.count)
            var segmentMax: UInt64 = 0
            var goodEnd = 0
            var failure: CorruptionError?
            bytes.withUnsafeBytes { raw in
                guard raw.count >= WALFormat.headerSize,
                    Array(raw[0..<4]) == WALFormat.magic, raw[4] == WALFormat.version
                else {
                    failure = CorruptionError(file: path, offset: 0, reason: "bad segment header (magic/version)")
                    return
                }
                var offset = WALFormat.headerSize
                goodEnd = offset
                while offset < raw.count {
                    guard raw.count - offset >= WALFormat.recordHeaderSize else {
                        failure = CorruptionError(file: path, offset: Int64(offset), reason: "torn record header")
                        return
                    }
                    let length = Int(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
                    let crc = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self).littleEndian
                    let start = offset + WALFormat.recordHeaderSize
                    guard length > 0, length <= raw.count - start else {
                        failure = CorruptionError(file: path, offset: Int64(offset), reason: "torn record (length \(length))")
                        return
                    }
                    let recordBody = UnsafeRawBufferPointer(rebasing: raw[start..<start + length])
                    guard CRC32C.checksum(recordBody) == crc else {
                        failure = CorruptionError(file: path, offset: Int64(offset), reason: "record CRC mismatch")
                        return
                    }
                    let record: WALRecord
                    do {
                        record = try WALFormat.decodeBody(recordBody)
                    } catch {
                        failure = CorruptionError(file: path, offset: Int64(offset), reason: "undecodable record: \(error)")
                        return
                    }
                    guard record.seq > lastSeq else {
                        failure = CorruptionError(
                            file: path, offset: Int64(offset), reason: "record seq \(record.seq) not above \(lastSeq)")
                        return
                    }
                    do { try body(record) } catch {
                        failure = CorruptionError(file: path, offset: Int64(offset), reason: "record rejected: \(error)")
                        return
                    }
                    lastSeq = record.seq
                    segmentMax = record.seq
                    report.records += 1
                    report.samples += record.refs.count
                    offset = start + length
                    goodEnd = offset
                }
            }
            maxSeqs[n] = segmentMax
            if let failure {
                report.corruption = failure
                if repair {
                    try cut(path: path, at: goodEnd, fs: fs)
                    for later in numbers[(position + 1)...] {
                        let name = directory + "/" + FileNames.walSegment(later)
                        try fs.remove(name)
                        report.removedSegments.append(name)
                    }
                    try fs.syncDirectory(directory)
                }
                break
            }
        }
        return (report, maxSeqs)
    }

    private static func cut(path: String, at offset: Int, fs: FileSystem) throws {
        if offset < WALFormat.headerSize {
            try fs.remove(path)
            return
        }
        let file = try FileHandle(appendingAt: path, fileSystem: fs)
        defer { file.close() }
        try file.truncate(to: Int64(offset))
        try file.sync()
    }
}
