/// Where one column lives in a block's `columns` file; `length` excludes its trailing CRC.
/// A rollup series is split into chunks (one column each) so a short window decodes one chunk:
/// `minT` is the chunk's first bucket start and `count` its buckets (raw: the series' minT and count).
struct ColumnRef: Equatable {
    var offset: Int64
    var length: Int
    var minT: Int64
    var count: Int
}

/// One series of a block: its labels, time range, sample (or bucket) count and columns.
struct BlockSeriesEntry {
    var id: UInt32
    var labels: Labels
    var minT: Int64
    var maxT: Int64
    var count: Int
    /// Raw: timestamps then values. Rollup: one column of encoded buckets.
    var columns: [ColumnRef]
}

/// The `index` file: series entries (ascending id) and label postings.
enum BlockIndex {
    static let magic: [UInt8] = Array("TSIX".utf8)
    static let version: UInt8 = 1
    /// Version 2: `<1b compression = 1> <uvarint body length>` then the version-1 body, LZ4-compressed.
    static let compressedVersion: UInt8 = 2
    /// Upper bound of a decompressed body, so a corrupt length cannot allocate gigabytes.
    static let maxBodyBytes = 1 << 30

    /// The body LZ4-compressed (version 2) when it is at least 128 bytes and that saves 10 %,
    /// else as it is (version 1): label strings repeat across series and compress well.
    static func encode(_ entries: [BlockSeriesEntry]) -> [UInt8] {
        let body = encodeBody(entries)
        if body.count >= ColumnFormat.lz4MinInput, let packed = LZ4.compress(body),
            Double(packed.count + 8) <= Double(body.count) * ColumnFormat.lz4KeepRatio
        {
            var w = SealedFile.begin(magic: magic, version: compressedVersion, capacity: packed.count + 32)
            w.writeByte(ColumnFormat.Compression.lz4.rawValue)
            w.writeUVarint(UInt64(body.count))
            w.writeBytes(packed)
            SealedFile.seal(&w)
            return w.bytes
        }
        var w = SealedFile.begin(magic: magic, version: version, capacity: body.count + 16)
        w.writeBytes(body)
        SealedFile.seal(&w)
        return w.bytes
    }

    private static func encodeBody(_ entries: [BlockSeriesEntry]) -> [UInt8] {
        var w = ByteWriter(capacity: 64 * entries.count + 64)
        w.writeUVarint(UInt64(entries.count))
        var postings: [String: [String: [UInt32]]] = [:]
        for e in entries {
            w.writeUVarint(UInt64(e.id))
            w.writeLabels(e.labels)
            for p in e.labels.pairs {
                postings[p.name, default: [:]][p.value, default: []].append(e.id)
            }
            w.writeVarint(e.minT)
            w.writeUVarint(UInt64(bitPattern: e.maxT &- e.minT))
            w.writeUVarint(UInt64(e.count))
            w.writeUVarint(UInt64(e.columns.count))
            for c in e.columns {
                w.writeUVarint(UInt64(c.offset))
                w.writeUVarint(UInt64(c.length))
                w.writeVarint(c.minT)
                w.writeUVarint(UInt64(c.count))
            }
        }
        w.writeUVarint(UInt64(postings.count))
        for (name, values) in postings.sorted(by: { $0.key < $1.key }) {
            w.writeString(name)
            w.writeUVarint(UInt64(values.count))
            for (value, ids) in values.sorted(by: { $0.key < $1.key }) {
                w.writeString(value)
                w.writeUVarint(UInt64(ids.count))
                var previous: UInt32 = 0
                for id in ids {
                    w.writeUVarint(UInt64(id - previous))
                    previous = id
                }
            }
        }
        return w.bytes
    }

    /// Decodes and validates the index: CRC, ascending ids, column ranges inside the columns
    /// file, postings that name existing series.
    static func decode(_ bytes: [UInt8], file: String, columnsSize: Int64) throws(CorruptionError) -> [BlockSeriesEntry] {
        try SealedFile.open(bytes, file: file, magic: magic, versions: version...compressedVersion) {
            (r, v) throws(DecodeError) -> [BlockSeriesEntry] in
            guard v == compressedVersion else { return try decodeBody(&r, columnsSize: columnsSize) }
            let compression = try r.readByte()
            guard compression == ColumnFormat.Compression.lz4.rawValue else {
                throw DecodeError(offset: r.offset - 1, reason: "unknown index compression \(compression)")
            }
            let length = try r.readCount(limit: maxBodyBytes, "index body length")
            let body = try LZ4.decompress(try r.readBytes(r.remaining), originalSize: length)
            let decoded = body.withUnsafeBytes { raw in
                Result { () throws(DecodeError) -> [BlockSeriesEntry] in
                    var inner = ByteReader(raw)
                    return try decodeBody(&inner, columnsSize: columnsSize)
                }
            }
            return try decoded.get()
        }
    }

    /// The entries and postings of a (decompressed) body, validated.
    private static func decodeBody(_ r: inout ByteReader, columnsSize: Int64) throws(DecodeError) -> [BlockSeriesEntry] {
        let limit = r.remaining
        let n = try r.readCount(limit: limit, "series count")
        var entries: [BlockSeriesEntry] = []
        entries.reserveCapacity(n)
        var ids = Set<UInt32>()
        for _ in 0..<n {
            let at = r.offset
            let id = try r.readUVarint()
            guard id < UInt64(WriteBatch.localFlag), entries.last.map({ UInt64($0.id) < id }) ?? true else {
                throw DecodeError(offset: at, reason: "series ids not ascending")
            }
            let labels = try r.readLabels()
            let minT = try r.readVarint()
            let span = try r.readUVarint()
            guard span <= UInt64(Int64.max) else { throw DecodeError(offset: r.offset, reason: "time span overflows") }
            let count = try r.readCount(limit: Int(Int32.max), "sample count")
            let nColumns = try r.readCount(limit: 4096, "column count")
            var columns: [ColumnRef] = []
            for _ in 0..<nColumns {
                let offset = try r.readUVarint()
                let length = try r.readUVarint()
                guard offset <= UInt64(columnsSize), length + 4 <= UInt64(columnsSize) - offset else {
                    throw DecodeError(
                        offset: r.offset, reason: "column \(offset)+\(length) outside the columns file (\(columnsSize) bytes)")
                }
                let columnMinT = try r.readVarint()
                let columnCount = try r.readCount(limit: count, "column count of samples")
                columns.append(ColumnRef(offset: Int64(offset), length: Int(length), minT: columnMinT, count: columnCount))
            }
            ids.insert(UInt32(id))
            entries.append(
                BlockSeriesEntry(
                    id: UInt32(id), labels: labels, minT: minT, maxT: minT &+ Int64(span), count: count,
                    columns: columns))
        }
        let nNames = try r.readCount(limit: limit, "postings name count")
        for _ in 0..<nNames {
            _ = try r.readString(limit: LabelLimits.maxNameBytes)
            let nValues = try r.readCount(limit: limit, "postings value count")
            for _ in 0..<nValues {
                _ = try r.readString(limit: LabelLimits.maxValueBytes)
                let nIDs = try r.readCount(limit: n, "postings length")
                var id: UInt64 = 0
                for _ in 0..<nIDs {
                    id &+= try r.readUVarint()
                    guard id <= UInt64(UInt32.max), ids.contains(UInt32(id)) else {
                        throw DecodeError(offset: r.offset, reason: "postings name unknown series \(id)")
                    }
                }
            }
        }
        guard r.isAtEnd else { throw DecodeError(offset: r.offset, reason: "trailing bytes") }
        return entries
    }
}
