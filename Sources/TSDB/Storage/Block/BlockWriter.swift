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

/// Writes a block directory crash-safely: `NAME.tmp/` with `columns`, `index`, `meta`, each
/// fsynced, then renamed to `NAME/` and the parent fsynced. A crash leaves either no block or a
/// whole one (and a `.tmp` directory that opening removes).
enum BlockWriter {
    static let columnsMagic: [UInt8] = Array("TSCL".utf8)
    static let columnsVersion: UInt8 = 1

    @discardableResult
    static func write(
        parent: String, name: String, meta: BlockMeta, series: [EncodedSeries], fs: FileSystem
    ) throws(IOError) -> String {
        let final = parent + "/" + name
        let tmp = try writeUnpublished(parent: parent, name: name, meta: meta, series: series, fs: fs)
        do {
            try fs.rename(tmp, final)
            try fs.syncDirectory(parent)
        } catch {
            try? fs.removeDirectory(tmp)
            throw error
        }
        return final
    }

    /// Writes and fsyncs `NAME.tmp/` and returns its path; the caller publishes it by renaming.
    static func writeUnpublished(
        parent: String, name: String, meta: BlockMeta, series: [EncodedSeries], fs: FileSystem
    ) throws(IOError) -> String {
        let tmp = parent + "/" + name + FileNames.tmpSuffix
        try fs.removeDirectory(tmp)
        try fs.makeDirectory(tmp)
        do {
            let columnsFile = try FileHandle(creatingAt: tmp + "/" + FileNames.blockColumns, fileSystem: fs)
            defer { columnsFile.close() }
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
                    try columnsFile.write(buffer.bytes)
                    written += Int64(buffer.count)
                    buffer.bytes.removeAll(keepingCapacity: true)
                }
            }
            try columnsFile.write(buffer.bytes)
            try columnsFile.sync()
            for (file, bytes) in [(FileNames.blockIndex, BlockIndex.encode(entries)), (FileNames.blockMeta, meta.encode())] {
                let handle = try FileHandle(creatingAt: tmp + "/" + file, fileSystem: fs)
                defer { handle.close() }
                try handle.write(bytes)
                try handle.sync()
            }
            try fs.syncDirectory(tmp)
        } catch {
            try? fs.removeDirectory(tmp)
            throw error
        }
        return tmp
    }
}
