/// What opening the WAL found: how much it replayed, what was damaged and what was salvaged.
public struct WALReplayReport: Sendable {
    public var segments = 0
    public var records = 0
    public var samples = 0
    public var bytes: Int64 = 0
    /// Every damaged stretch: file, offset and reason. A torn tail of the newest segment (a write
    /// that a crash interrupted before it was acknowledged) is one too.
    public var corruptions: [CorruptionError] = []
    /// Damage anywhere but the tail of the newest segment: acknowledged data may be lost, so the
    /// store reports itself degraded (`/health`) until an operator has looked.
    public var damagedRecords = 0
    /// Good records found after damage and replayed.
    public var salvagedRecords = 0
    /// Bytes that could not be read as records.
    public var skippedBytes: Int64 = 0
    /// Samples dropped because the record defining their series was lost.
    public var orphanSamples = 0
    /// Copies of damaged segments, kept under `quarantine/` before a segment was rewritten.
    public var quarantined: [String] = []

    /// The first damage, if any.
    public var corruption: CorruptionError? { corruptions.first }
}

enum WALReader {
    /// Replays every segment in order, calling `body` for each good record. Damage does not
    /// end the log: replay resynchronises on the next frame whose length, type and CRC check out
    /// and whose seq continues the log, so records after a bad one are salvaged. With `repair`
    /// a damaged segment is first copied to `quarantine` and then rewritten with its good records
    /// only; no segment is ever deleted for damage. `body` returns how many of the record's
    /// samples it had to drop (orphans). Returns the report and, per segment, its highest seq.
    static func replay(
        directory: String, quarantine: String, fs: FileSystem, repair: Bool, _ body: (WALRecord) throws -> Int
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
            var scan = SegmentScan(path: path, lastSeq: lastSeq)
            try bytes.withUnsafeBytes { raw throws in try scan.run(raw, body) }
            lastSeq = scan.lastSeq
            maxSeqs[n] = scan.maxSeq
            report.records += scan.records
            report.samples += scan.samples
            report.orphanSamples += scan.orphans
            guard !scan.damage.isEmpty else { continue }
            let isNewest = position == numbers.count - 1
            let tornTailOnly = isNewest && scan.damage.count == 1 && scan.goodAfterDamage == 0
            report.corruptions += scan.damage
            report.skippedBytes += scan.skipped
            report.salvagedRecords += scan.goodAfterDamage
            if !tornTailOnly { report.damagedRecords += scan.damage.count }
            guard repair else { continue }
            if !tornTailOnly {
                try fs.makeDirectories(quarantine)
                let copy = quarantine + "/" + FileNames.walSegment(n) + ".damaged"
                try fs.writeAtomically(copy, bytes)
                report.quarantined.append(copy)
            }
            if scan.good.isEmpty {
                try fs.remove(path)
            } else {
                var kept = WALFormat.segmentHeader
                for r in scan.good { kept += bytes[r] }
                try fs.writeAtomically(path, kept)
            }
            try fs.syncDirectory(directory)
        }
        return (report, maxSeqs)
    }
}

/// One segment's walk: good record frames, damaged stretches and the seqs seen.
struct SegmentScan {
    let path: String
    var lastSeq: UInt64
    var maxSeq: UInt64 = 0
    var records = 0
    var samples = 0
    var orphans = 0
    var good: [Range<Int>] = []
    var damage: [CorruptionError] = []
    var goodAfterDamage = 0
    var skipped: Int64 = 0

    init(path: String, lastSeq: UInt64) {
        self.path = path
        self.lastSeq = lastSeq
    }

    mutating func run(_ raw: UnsafeRawBufferPointer, _ body: (WALRecord) throws -> Int) throws {
        guard raw.count >= WALFormat.headerSize, Array(raw[0..<4]) == WALFormat.magic, raw[4] == WALFormat.version else {
            damage.append(CorruptionError(file: path, offset: 0, reason: "bad segment header (magic/version)"))
            skipped += Int64(raw.count)
            return
        }
        var offset = WALFormat.headerSize
        var damagedFrom: Int?
        while offset < raw.count {
            switch frame(at: offset, raw) {
            case .bad(let why):
                if damagedFrom == nil {
                    damagedFrom = offset
                    damage.append(CorruptionError(file: path, offset: Int64(offset), reason: why))
                }
                offset += 1  // resynchronise byte by byte: frames carry no alignment
            case .record(let record, let end):
                let dropped: Int
                do { dropped = try body(record) } catch {
                    // The record frames and checks out, but recovery cannot use it: skip it.
                    if damagedFrom == nil { damagedFrom = offset }
                    damage.append(CorruptionError(file: path, offset: Int64(offset), reason: "record rejected: \(error)"))
                    skipped += Int64(end - (damagedFrom ?? offset))
                    damagedFrom = nil
                    offset = end
                    continue
                }
                if let from = damagedFrom {
                    skipped += Int64(offset - from)
                    damagedFrom = nil
                }
                if !damage.isEmpty { goodAfterDamage += 1 }
                orphans += dropped
                lastSeq = record.seq
                maxSeq = record.seq
                records += 1
                samples += record.refs.count - dropped
                good.append(offset..<end)
                offset = end
            }
        }
        if let from = damagedFrom { skipped += Int64(raw.count - from) }
    }

    /// The record framed at `offset` and the offset after it, or why there is none.
    private func frame(at offset: Int, _ raw: UnsafeRawBufferPointer) -> FrameScan {
        guard raw.count - offset >= WALFormat.recordHeaderSize else { return .bad("torn record header") }
        let length = Int(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
        let crc = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self).littleEndian
        let start = offset + WALFormat.recordHeaderSize
        guard length >= 2, length <= raw.count - start else { return .bad("torn record (length \(length))") }
        // Cheap checks first, so resynchronising over garbage rarely computes a CRC.
        guard raw[start] == WALFormat.typeBatch, raw[start + 1] & ~WALFormat.flagLZ4 == 0 else {
            return .bad("unknown record type or flags")
        }
        let recordBody = UnsafeRawBufferPointer(rebasing: raw[start..<start + length])
        guard CRC32C.checksum(recordBody) == crc else { return .bad("record CRC mismatch") }
        let record: WALRecord
        do { record = try WALFormat.decodeBody(recordBody) } catch { return .bad("undecodable record: \(error)") }
        guard record.seq > lastSeq else { return .bad("record seq \(record.seq) not above \(lastSeq)") }
        return .record(record, end: start + length)
    }
}

/// A frame at some offset: a good record and where it ends, or why there is none.
enum FrameScan {
    case record(WALRecord, end: Int)
    case bad(String)
}
