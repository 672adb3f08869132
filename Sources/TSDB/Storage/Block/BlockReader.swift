import Synchronization

/// An open, immutable block: meta and index in memory, columns read on demand with their CRC
/// checked. Safe to share across threads (reads use pread).
final class BlockReader: @unchecked Sendable {
    let path: String
    let name: String
    let meta: BlockMeta
    let entries: [BlockSeriesEntry]
    private let positions: [UInt32: Int]
    private let columns: FileHandle
    /// Decoded rollup chunks by (series, column): dashboards ask for the same recent hours again
    /// and again, and decoding sketches is the expensive part. Bounded; cleared when full.
    private let chunkCache = Mutex<[UInt64: [RollupBucket]]>([:])
    static let chunkCacheLimit = 1024
    let sizeOnDisk: Int64
    /// The file holding the columns: the block file itself (format 2) or `columns` (format 1).
    let columnsPath: String

    /// Opens a block file (format 2) or a format-1 block directory.
    init(path: String, fs: FileSystem) throws(StoreError) {
        self.path = path
        name = String(path.split(separator: "/").last ?? "")
        if fs.isDirectory(path) {
            columnsPath = path + "/" + FileNames.blockColumns
        } else {
            columnsPath = path
        }
        do {
            if !fs.isDirectory(path) {
                columns = try FileHandle(openForReadingAt: path, fileSystem: fs)
                let size = columns.size
                (meta, entries) = try BlockReader.openFile(columns, size: size)
                sizeOnDisk = size
                var positions: [UInt32: Int] = [:]
                for (i, e) in entries.enumerated() { positions[e.id] = i }
                self.positions = positions
                return
            }
            let metaPath = path + "/" + FileNames.blockMeta
            meta = try BlockMeta.decode(try fs.readFile(metaPath), file: metaPath)
            let columnsPath = path + "/" + FileNames.blockColumns
            columns = try FileHandle(openForReadingAt: columnsPath, fileSystem: fs)
            let header = try columns.read(at: 0, count: 8)
            guard Array(header[0..<4]) == BlockWriter.columnsMagic, header[4] == BlockWriter.columnsVersion else {
                throw CorruptionError(file: columnsPath, offset: 0, reason: "bad columns header (magic/version)")
            }
            let indexPath = path + "/" + FileNames.blockIndex
            let indexBytes = try fs.readFile(indexPath)
            entries = try BlockIndex.decode(indexBytes, file: indexPath, columnsSize: columns.size)
            sizeOnDisk = columns.size + Int64(indexBytes.count) + fs.fileSize(metaPath)
        } catch let e as IOError {
            throw e.errno == 5 ? .corruption(CorruptionError(file: e.path, offset: 0, reason: "\(e)")) : .io(e)
        } catch let e as CorruptionError {
            throw .corruption(e)
        } catch {
            throw .corruption(CorruptionError(file: path, offset: 0, reason: "\(error)"))
        }
        var positions: [UInt32: Int] = [:]
        for (i, e) in entries.enumerated() { positions[e.id] = i }
        self.positions = positions
    }

    /// Bytes of a block (a file, or a format-1 directory's files), for bytes-written figures.
    static func bytes(in path: String, fs: FileSystem) -> Int64 {
        guard fs.isDirectory(path) else { return fs.fileSize(path) }
        return [FileNames.blockColumns, FileNames.blockIndex, FileNames.blockMeta].reduce(Int64(0)) { $0 + fs.fileSize(path + "/" + $1) }
    }

    /// The meta and index of a format-2 block file, through its footer; every offset checked.
    private static func openFile(_ file: FileHandle, size: Int64) throws -> (BlockMeta, [BlockSeriesEntry]) {
        let path = file.path
        let footerSize = Int64(BlockWriter.footerSize)
        guard size >= 8 + footerSize else { throw CorruptionError(file: path, offset: 0, reason: "block file too short (\(size) bytes)") }
        let header = try file.read(at: 0, count: 8)
        guard Array(header[0..<4]) == BlockWriter.columnsMagic, header[4] == BlockWriter.columnsVersion else {
            throw CorruptionError(file: path, offset: 0, reason: "bad columns header (magic/version)")
        }
        let footer = try file.read(at: size - footerSize, count: BlockWriter.footerSize)
        let parsed = footer.withUnsafeBytes { raw -> (Int64, Int64, Int64)? in
            var r = ByteReader(raw)
            guard let indexOffset = try? r.readUInt64(), let indexLength = try? r.readUInt32(), let metaLength = try? r.readUInt32(),
                let magic = try? r.readBytes(4), Array(magic) == BlockWriter.footerMagic, let version = try? r.readByte(),
                version == BlockWriter.footerVersion, (try? r.skip(3)) != nil, let stored = try? r.readUInt32(),
                stored == CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<(BlockWriter.footerSize - 4)])),
                indexOffset <= UInt64(Int64.max)
            else { return nil }
            return (Int64(indexOffset), Int64(indexLength), Int64(metaLength))
        }
        guard let (indexOffset, indexLength, metaLength) = parsed,
            indexOffset >= 8, indexOffset.addingReportingOverflow(indexLength + metaLength + footerSize) == (size, false)
        else { throw CorruptionError(file: path, offset: size - footerSize, reason: "bad block footer (CRC, magic or offsets)") }
        let metaBytes = try file.read(at: indexOffset + indexLength, count: Int(metaLength))
        let meta = try BlockMeta.decode(metaBytes, file: path)
        let indexBytes = try file.read(at: indexOffset, count: Int(indexLength))
        let entries = try BlockIndex.decode(indexBytes, file: path, columnsSize: indexOffset)
        return (meta, entries)
    }

    func entry(for id: UInt32) -> BlockSeriesEntry? { positions[id].map { entries[$0] } }

    func overlaps(_ from: Int64, _ to: Int64) -> Bool { meta.samples > 0 && meta.minT < to && meta.maxT >= from }

    /// A column's bytes after checking its CRC.
    func readColumn(_ ref: ColumnRef, of entry: BlockSeriesEntry) throws(StoreError) -> [UInt8] {
        let file = columnsPath
        let bytes: [UInt8]
        do { bytes = try columns.read(at: ref.offset, count: ref.length + 4) } catch {
            throw .corruption(CorruptionError(file: file, offset: ref.offset, reason: "\(error)", series: entry.labels.description))
        }
        let stored = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: ref.length, as: UInt32.self).littleEndian }
        let actual = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<ref.length])) }
        guard stored == actual else {
            throw .corruption(
                CorruptionError(file: file, offset: ref.offset, reason: "column CRC mismatch", series: entry.labels.description))
        }
        return Array(bytes[0..<ref.length])
    }

    /// Raw samples of a series (all of them, sorted), decoded and validated.
    func samples(of id: UInt32) throws(StoreError) -> (timestamps: [Int64], values: [Double]) {
        guard meta.kind == .raw, let e = entry(for: id), e.columns.count == 2 else { return ([], []) }
        let file = columnsPath
        let tsBytes = try readColumn(e.columns[0], of: e)
        let vBytes = try readColumn(e.columns[1], of: e)
        do {
            let ts = try tsBytes.withUnsafeBytes { (raw) throws(DecodeError) in try ColumnCodec.decodeTimestamps(raw, count: e.count) }
            let vs = try vBytes.withUnsafeBytes { (raw) throws(DecodeError) in try ColumnCodec.decodeValues(raw, count: e.count) }
            guard ts.count == e.count, vs.count == e.count else {
                throw DecodeError(offset: 0, reason: "decoded \(ts.count)/\(vs.count) samples, index says \(e.count)")
            }
            return (ts, vs)
        } catch {
            throw .corruption(
                CorruptionError(
                    file: file, offset: e.columns[0].offset, reason: "undecodable column: \(error)", series: e.labels.description))
        }
    }

    /// Raw samples within `[from, to)`.
    func samples(of id: UInt32, from: Int64, to: Int64) throws(StoreError) -> (timestamps: [Int64], values: [Double]) {
        guard let e = entry(for: id), e.minT < to, e.maxT >= from else { return ([], []) }
        let (ts, vs) = try samples(of: id)
        if e.minT >= from && e.maxT < to { return (ts, vs) }
        let lo = ts.partitioningIndex { $0 >= from }
        let hi = ts.partitioningIndex { $0 >= to }
        return (Array(ts[lo..<hi]), Array(vs[lo..<hi]))
    }
}

extension BlockReader {
    /// Rollup buckets of a series whose start lies in `[from, to)`, sorted; only the chunks
    /// overlapping the window are read and decoded.
    func buckets(of id: UInt32, from: Int64 = .min, to: Int64 = .max, cached: Bool = true) throws(StoreError) -> [RollupBucket] {
        guard meta.kind == .rollup, let e = entry(for: id), !e.columns.isEmpty else { return [] }
        var out: [RollupBucket] = []
        for (i, c) in e.columns.enumerated() {
            let chunkEnd = i + 1 < e.columns.count ? e.columns[i + 1].minT : Int64.max
            guard c.minT < to && chunkEnd > from else { continue }
            let key = UInt64(id) << 20 | UInt64(i)
            do {
                let buckets: [RollupBucket]
                if cached, let hit = chunkCache.withLock({ $0[key] }) {
                    buckets = hit
                } else {
                    let bytes = try readColumn(c, of: e)
                    buckets = try bytes.withUnsafeBytes { (raw) throws(DecodeError) in try RollupCodec.decode(raw, count: c.count) }
                    guard buckets.count == c.count else {
                        throw DecodeError(offset: 0, reason: "decoded \(buckets.count) buckets, index says \(c.count)")
                    }
                    chunkCache.withLock { cache in
                        if cache.count >= BlockReader.chunkCacheLimit { cache.removeAll(keepingCapacity: true) }
                        cache[key] = buckets
                    }
                }
                if c.minT >= from && chunkEnd <= to {
                    out.append(contentsOf: buckets)
                } else {
                    out.append(contentsOf: buckets.lazy.filter { $0.start >= from && $0.start < to })
                }
            } catch let error as StoreError {
                throw error
            } catch {
                throw .corruption(
                    CorruptionError(
                        file: columnsPath, offset: c.offset, reason: "undecodable rollup column: \(error)",
                        series: e.labels.description))
            }
        }
        return out
    }
}
