/// One series' encoded columns on their way into a block.
struct EncodedSeries {
    var id: UInt32
    var labels: Labels
    var minT: Int64
    var maxT: Int64
    var count: Int
    var columns: [[UInt8]]
    /// Per column: first timestamp (or bucket start) and count; nil = `minT` and `count` for all.
    var chunks: [(minT: Int64, count: Int)]? = nil
}

/// Writes a block crash-safely as one file (format 2): `NAME.blk.tmp` holding the columns, the
/// index, the meta and a footer, fsynced, then renamed to `NAME.blk` and the parent fsynced. A
/// crash leaves either no block or a whole one (and a `.tmp` file that opening removes). One
/// file instead of a directory of three keeps the fixed cost of a block small.
enum BlockWriter {
    static let columnsMagic: [UInt8] = Array("TSCL".utf8)
    static let columnsVersion: UInt8 = 1
    static let footerMagic: [UInt8] = Array("TSBK".utf8)
    static let footerVersion: UInt8 = 1
    /// `<8b index offset> <4b index length> <4b meta length> magic <1b version> <3b reserved> <4b CRC>`.
    static let footerSize = 28

    /// Writes and publishes the block; returns its path.
    @discardableResult
    static func write(
        parent: String, name: String, meta: BlockMeta, series: [EncodedSeries], fs: FileSystem
    ) throws(IOError) -> String {
        let (tmp, final) = try writeUnpublished(parent: parent, name: name, meta: meta, series: series, fs: fs)
        do {
            try fs.rename(tmp, final)
            try fs.syncDirectory(parent)
        } catch {
            try? fs.removeItem(tmp)
            throw error
        }
        return final
    }

    /// Writes and fsyncs `NAME.blk.tmp`; returns it and the final path the caller renames it to.
    static func writeUnpublished(
        parent: String, name: String, meta: BlockMeta, series: [EncodedSeries], fs: FileSystem
    ) throws(IOError) -> (tmp: String, final: String) {
        let final = parent + "/" + name + FileNames.blockFileSuffix
        let tmp = final + FileNames.tmpSuffix
        try fs.removeItem(tmp)
        do {
            let file = try FileHandle(creatingAt: tmp, fileSystem: fs)
            defer { file.close() }
            var buffer = ByteWriter(capacity: 1 << 20)
            buffer.writeBytes(columnsMagic)
            buffer.writeBytes([columnsVersion, 0, 0, 0])
            var written: Int64 = 0
            var entries: [BlockSeriesEntry] = []
            entries.reserveCapacity(series.count)
            for s in series {
                var refs: [ColumnRef] = []
                for (i, column) in s.columns.enumerated() {
                    let chunk = s.chunks?[i] ?? (minT: s.minT, count: s.count)
                    refs.append(
                        ColumnRef(offset: written + Int64(buffer.count), length: column.count, minT: chunk.minT, count: chunk.count))
                    buffer.writeBytes(column)
                    buffer.writeUInt32(CRC32C.checksum(column))
                }
                entries.append(BlockSeriesEntry(id: s.id, labels: s.labels, minT: s.minT, maxT: s.maxT, count: s.count, columns: refs))
                if buffer.count >= 4 << 20 {
                    try file.write(buffer.bytes)
                    written += Int64(buffer.count)
                    buffer.bytes.removeAll(keepingCapacity: true)
                }
            }
            let indexOffset = written + Int64(buffer.count)
            let index = BlockIndex.encode(entries)
            let metaBytes = meta.encode()
            buffer.writeBytes(index)
            buffer.writeBytes(metaBytes)
            var footer = ByteWriter(capacity: footerSize)
            footer.writeUInt64(UInt64(indexOffset))
            footer.writeUInt32(UInt32(index.count))
            footer.writeUInt32(UInt32(metaBytes.count))
            footer.writeBytes(footerMagic)
            footer.writeBytes([footerVersion, 0, 0, 0])
            footer.writeUInt32(CRC32C.checksum(footer.bytes))
            buffer.writeBytes(footer.bytes)
            try file.write(buffer.bytes)
            try file.sync()
        } catch {
            try? fs.removeItem(tmp)
            throw error
        }
        return (tmp, final)
    }
}
