/// One WAL record: a batch that became durable as a whole (docs/FORMAT.md, "WAL").
struct WALRecord {
    var seq: UInt64
    /// Series first used by this record: id and labels.
    var definitions: [(id: UInt32, labels: Labels)] = []
    var sources: [(key: String, position: Int64)] = []
    var refs: [UInt32] = []
    var timestamps: [Int64] = []
    var values: [Double] = []
}

enum WALFormat {
    static let magic: [UInt8] = Array("TSWL".utf8)
    static let version: UInt8 = 1
    static let headerSize = 8
    static let recordHeaderSize = 8
    static let typeBatch: UInt8 = 1
    static let flagLZ4: UInt8 = 1
    /// Upper bound on a record's body, so a corrupt length cannot make replay allocate wildly.
    static let maxRecordBytes = 1 << 30

    static var segmentHeader: [UInt8] { magic + [version, 0, 0, 0] }

    /// The framed record: length, CRC32C of the body, body (type, flags, [raw length], payload).
    static func frame(_ record: WALRecord) -> [UInt8] {
        var payload = ByteWriter(capacity: 64 + record.refs.count * 12)
        encodePayload(record, into: &payload)
        var body = ByteWriter(capacity: payload.count / 2 + 16)
        body.writeByte(typeBatch)
        if payload.count >= 256, let compressed = LZ4.compress(payload.bytes) {
            body.writeByte(flagLZ4)
            body.writeUVarint(UInt64(payload.count))
            body.writeBytes(compressed)
        } else {
            body.writeByte(0)
            body.writeBytes(payload.bytes)
        }
        var out = ByteWriter(capacity: body.count + recordHeaderSize)
        out.writeUInt32(UInt32(body.count))
        out.writeUInt32(CRC32C.checksum(body.bytes))
        out.writeBytes(body.bytes)
        return out.bytes
    }

    static func encodePayload(_ r: WALRecord, into w: inout ByteWriter) {
        w.writeUInt64(r.seq)
        w.writeUVarint(UInt64(r.definitions.count))
        for d in r.definitions {
            w.writeUVarint(UInt64(d.id))
            w.writeLabels(d.labels)
        }
        w.writeUVarint(UInt64(r.sources.count))
        for s in r.sources {
            w.writeString(s.key)
            w.writeVarint(s.position)
        }
        let n = r.refs.count
        w.writeUVarint(UInt64(n))
        for ref in r.refs { w.writeUVarint(UInt64(ref)) }
        var previous: Int64 = 0
        for t in r.timestamps {
            w.writeVarint(t &- previous)
            previous = t
        }
        w.bytes.reserveCapacity(w.count + n * 8)
        for v in r.values { w.writeDouble(v) }
    }

    /// Decodes a record body (after length and CRC were checked).
    static func decodeBody(_ body: UnsafeRawBufferPointer) throws(DecodeError) -> WALRecord {
        var r = ByteReader(body)
        let type = try r.readByte()
        guard type == typeBatch else { throw DecodeError(offset: 0, reason: "unknown record type \(type)") }
        let flags = try r.readByte()
        guard flags & ~flagLZ4 == 0 else { throw DecodeError(offset: 1, reason: "unknown flags \(flags)") }
        if flags & flagLZ4 != 0 {
            let rawLength = try r.readCount(limit: maxRecordBytes, "raw length")
            let compressed = try r.readBytes(r.remaining)
            let payload = try LZ4.decompress(compressed, originalSize: rawLength)
            let result = payload.withUnsafeBytes { raw in Result { () throws(DecodeError) in try decodePayload(raw) } }
            return try result.get()
        }
        return try decodePayload(try r.readBytes(r.remaining))
    }

    static func decodePayload(_ raw: UnsafeRawBufferPointer) throws(DecodeError) -> WALRecord {
        var r = ByteReader(raw)
        var rec = WALRecord(seq: try r.readUInt64())
        let nDefs = try r.readCount(limit: raw.count, "definition count")
        rec.definitions.reserveCapacity(nDefs)
        for _ in 0..<nDefs {
            let id = try r.readUVarint()
            guard id < UInt64(WriteBatch.localFlag) else { throw DecodeError(offset: r.offset, reason: "series id \(id) out of range") }
            rec.definitions.append((UInt32(id), try r.readLabels()))
        }
        let nSources = try r.readCount(limit: raw.count, "source count")
        for _ in 0..<nSources { rec.sources.append((try r.readString(), try r.readVarint())) }
        let n = try r.readCount(limit: raw.count, "sample count")
        rec.refs.reserveCapacity(n)
        for _ in 0..<n {
            let ref = try r.readUVarint()
            guard ref < UInt64(WriteBatch.localFlag) else { throw DecodeError(offset: r.offset, reason: "series id \(ref) out of range") }
            rec.refs.append(UInt32(ref))
        }
        rec.timestamps.reserveCapacity(n)
        var t: Int64 = 0
        for _ in 0..<n {
            t = t &+ (try r.readVarint())
            rec.timestamps.append(t)
        }
        guard r.remaining == n * 8 else {
            throw DecodeError(offset: r.offset, reason: "value column holds \(r.remaining) bytes, expected \(n * 8)")
        }
        rec.values.reserveCapacity(n)
        for _ in 0..<n { rec.values.append(try r.readDouble()) }
        return rec
    }
}
