/// The small header file of every block (`meta`): what it holds and where it came from.
public struct BlockMeta: Sendable, Equatable {
    public enum Kind: UInt8, Sendable {
        case raw = 0
        case rollup = 1
    }

    public var kind: Kind
    /// Bucket width of a rollup block; 0 for raw.
    public var resolution: Int64 = 0
    /// Inclusive time range of the samples (raw) or bucket starts (rollup).
    public var minT: Int64
    public var maxT: Int64
    /// Raw samples in the block (rollup: raw samples its buckets summarise).
    public var samples: Int64
    public var series: Int64
    /// Buckets in a rollup block; 0 for raw.
    public var buckets: Int64 = 0
    /// WAL record seqs whose samples this block holds (0...0 when none, e.g. compacted).
    public var minSeq: UInt64 = 0
    public var maxSeq: UInt64 = 0
    /// 0: cut from the head; 1+: written by compaction.
    public var level: UInt8 = 0
    /// Raw block whose samples are already merged into the rollups.
    public var rolledUp = false
    /// Source positions durable when this block was cut.
    public var sources: [String: Int64] = [:]
    /// Rollup block (version 2) whose index entries without columns are raw-backed: their
    /// buckets are built from the series' rolled-up raw samples in the entry's bucket range.
    public var rawBacked = false

    static let magic: [UInt8] = Array("TSBM".utf8)
    /// Version 1, or 2 when `rawBacked` (one more byte of flags after the sources).
    static let version: UInt8 = 1
    static let rawBackedVersion: UInt8 = 2

    func encode() -> [UInt8] {
        var w = SealedFile.begin(magic: BlockMeta.magic, version: rawBacked ? BlockMeta.rawBackedVersion : BlockMeta.version, capacity: 128)
        w.writeByte(kind.rawValue)
        w.writeInt64(resolution)
        w.writeInt64(minT)
        w.writeInt64(maxT)
        w.writeInt64(samples)
        w.writeInt64(series)
        w.writeInt64(buckets)
        w.writeUInt64(minSeq)
        w.writeUInt64(maxSeq)
        w.writeByte(level)
        w.writeByte(rolledUp ? 1 : 0)
        w.writeSourcePositions(sources)
        if rawBacked { w.writeByte(1) }
        SealedFile.seal(&w)
        return w.bytes
    }

    static func decode(_ bytes: [UInt8], file: String) throws(CorruptionError) -> BlockMeta {
        try SealedFile.open(bytes, file: file, magic: magic, versions: version...rawBackedVersion) {
            (r, v) throws(DecodeError) -> BlockMeta in
            let kindByte = try r.readByte()
            guard let kind = Kind(rawValue: kindByte) else { throw DecodeError(offset: 8, reason: "unknown kind \(kindByte)") }
            var m = BlockMeta(kind: kind, minT: 0, maxT: 0, samples: 0, series: 0)
            m.resolution = try r.readInt64()
            m.minT = try r.readInt64()
            m.maxT = try r.readInt64()
            m.samples = try r.readInt64()
            m.series = try r.readInt64()
            m.buckets = try r.readInt64()
            m.minSeq = try r.readUInt64()
            m.maxSeq = try r.readUInt64()
            m.level = try r.readByte()
            m.rolledUp = try r.readByte() != 0
            m.sources = try r.readSourcePositions()
            if v >= rawBackedVersion {
                let flags = try r.readByte()
                guard flags & ~1 == 0, m.kind == .rollup else { throw DecodeError(offset: r.offset, reason: "unknown flags \(flags)") }
                m.rawBacked = flags & 1 != 0
            }
            guard m.minT <= m.maxT || m.samples == 0, m.samples >= 0, m.series >= 0 else {
                throw DecodeError(offset: r.offset, reason: "inconsistent ranges or counts")
            }
            return m
        }
    }
}
