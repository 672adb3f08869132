/// The `checkpoint` file: the series table, the source positions, and the WAL seq up to which
/// every record's samples are in blocks. Rewritten atomically after every head cut, so WAL
/// segments before it can be deleted.
struct Checkpoint {
    var flushedSeq: UInt64 = 0
    var series: [(id: UInt32, kind: MetricKind, labels: Labels)] = []
    var sources: [String: Int64] = [:]

    static let magic: [UInt8] = Array("TSCP".utf8)
    static let version: UInt8 = 1
    static let kindCodes: [MetricKind] = [.gauge, .counter, .event]

    func encode() -> [UInt8] {
        var w = SealedFile.begin(magic: Checkpoint.magic, version: Checkpoint.version, capacity: 64 + series.count * 64)
        w.writeUInt64(flushedSeq)
        w.writeUVarint(UInt64(series.count))
        for s in series {
            w.writeUVarint(UInt64(s.id))
            w.writeByte(UInt8(Checkpoint.kindCodes.firstIndex(of: s.kind) ?? 0))
            w.writeLabels(s.labels)
        }
        w.writeSourcePositions(sources)
        SealedFile.seal(&w)
        return w.bytes
    }

    static func decode(_ bytes: [UInt8], file: String) throws(CorruptionError) -> Checkpoint {
        try SealedFile.open(bytes, file: file, magic: magic, version: version) { (r) throws(DecodeError) -> Checkpoint in
            var c = Checkpoint(flushedSeq: try r.readUInt64())
            let n = try r.readCount(limit: bytes.count, "series count")
            for _ in 0..<n {
                let id = try r.readUVarint()
                guard id < UInt64(WriteBatch.localFlag) else { throw DecodeError(offset: r.offset, reason: "series id out of range") }
                let k = Int(try r.readByte())
                guard k < kindCodes.count else { throw DecodeError(offset: r.offset - 1, reason: "unknown metric kind \(k)") }
                c.series.append((UInt32(id), kindCodes[k], try r.readLabels()))
            }
            c.sources = try r.readSourcePositions()
            guard r.isAtEnd else { throw DecodeError(offset: r.offset, reason: "trailing bytes") }
            return c
        }
    }
}
