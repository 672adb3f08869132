/// The store's decoders, reachable from the fuzz harnesses (Sources/FuzzHarnesses) without
/// `@testable`: each takes untrusted bytes and returns whether they decoded. None may trap.
public enum DecoderEntryPoints {
    /// A WAL segment, replayed (with salvage) as opening the store would.
    public static func walSegment(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var scan = SegmentScan(path: "fuzz", lastSeq: 0)
        do { try scan.run(bytes) { $0.refs.count > 1000 ? 1 : 0 } } catch { return false }
        return scan.damage.isEmpty
    }

    /// One of the sealed metadata files (`kind` % 6: block meta v1 and v2, block index v1 and
    /// v2, checkpoint, compaction journal); the CRC is sealed here so the body decoders see the bytes.
    public static func sealedFile(kind: UInt8, body: UnsafeRawBufferPointer) -> Bool {
        let (magic, version): ([UInt8], UInt8) =
            switch kind % 6 {
            case 0: (BlockMeta.magic, BlockMeta.version)
            case 1: (BlockMeta.magic, BlockMeta.rawBackedVersion)
            case 2: (BlockIndex.magic, BlockIndex.version)
            case 3: (BlockIndex.magic, BlockIndex.compressedVersion)
            case 4: (Checkpoint.magic, Checkpoint.version)
            default: (CompactionJournal.magic, CompactionJournal.version)
            }
        var w = SealedFile.begin(magic: magic, version: version, capacity: body.count + 16)
        w.writeBytes(body)
        SealedFile.seal(&w)
        do {
            switch kind % 6 {
            case 0, 1: _ = try BlockMeta.decode(w.bytes, file: "fuzz")
            case 2, 3: _ = try BlockIndex.decode(w.bytes, file: "fuzz", columnsSize: 1 << 24)
            case 4: _ = try Checkpoint.decode(w.bytes, file: "fuzz")
            default: _ = try CompactionJournal.decode(w.bytes, file: "fuzz")
            }
            return true
        } catch {
            return false
        }
    }

    /// A rollup column of `count` buckets.
    public static func rollupBuckets(_ bytes: UnsafeRawBufferPointer, count: Int) -> Bool {
        (try? RollupCodec.decode(bytes, count: count)) != nil
    }

    /// A timestamp column and a value column of `count` samples.
    public static func columns(_ bytes: UnsafeRawBufferPointer, count: Int) -> Bool {
        let t = (try? ColumnCodec.decodeTimestamps(bytes, count: count)) != nil
        let v = (try? ColumnCodec.decodeValues(bytes, count: count)) != nil
        return t || v
    }
}
