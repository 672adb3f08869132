import Testing

@testable import TSDB

/// Issue 11, item 11: mutations of valid encodings whose CRC is re-sealed reach every body
/// decoder (the random-byte loop in FaultTests never got past the CRC). Every outcome is a value
/// or a typed error, never a trap or a wild allocation.
@Suite struct DecoderFuzzTests {
    static func reseal(_ bytes: inout [UInt8]) {
        guard bytes.count >= 4 else { return }
        let crc = CRC32C.checksum(Array(bytes[0..<bytes.count - 4]))
        for i in 0..<4 { bytes[bytes.count - 4 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
    }

    /// One random mutation: bit flips, byte overwrites, insertions, deletions or a truncation.
    static func mutate(_ good: [UInt8], headerKept: Int, _ rng: inout StorageTestRNG) -> [UInt8] {
        var b = good
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard b.count > headerKept else { break }
            let i = Int.random(in: headerKept..<b.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: b[i] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
            case 1: b[i] = UInt8.random(in: 0...255, using: &rng)
            case 2: b[i] = [0x00, 0x7F, 0x80, 0xFF][Int.random(in: 0..<4, using: &rng)]
            case 3:
                b.insert(contentsOf: (0..<Int.random(in: 1...9, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: i)
            case 4: b.removeSubrange(i..<min(b.count, i + Int.random(in: 1...9, using: &rng)))
            default: b.removeLast(Int.random(in: 0...min(8, b.count - headerKept), using: &rng))
            }
        }
        return b
    }

    static func labelsSample(_ i: Int) -> Labels {
        Labels(type: "api_latency_ms", service: "svc\(i)", tags: ["endpoint": "/v1/x\(i)", "status": i % 2 == 0 ? "200" : "500"])
    }

    static var validMeta: [UInt8] {
        var meta = BlockMeta(kind: .raw, minT: 1_000, maxT: 7_200_000, samples: 300, series: 3)
        meta.sources = ["api_metrics/0": 5, "api_metrics/1": 9]
        return meta.encode()
    }

    static var validIndex: [UInt8] {
        let entries = (0..<40).map { i in
            BlockSeriesEntry(
                id: UInt32(i), labels: labelsSample(i), minT: Int64(i) * 1000, maxT: Int64(i) * 1000 + 60_000, count: 7,
                columns: [ColumnRef(offset: Int64(i) * 64, length: 32, minT: Int64(i) * 1000, count: 7)])
        }
        return BlockIndex.encode(entries)
    }

    static var validCheckpoint: [UInt8] {
        var c = Checkpoint(flushedSeq: 42)
        c.series = (0..<20).map { (UInt32($0), MetricKind.gauge, labelsSample($0)) }
        c.sources = ["t/0": 3]
        return c.encode()
    }

    static var validJournal: [UInt8] { CompactionJournal(inputs: ["blocks/a.blk", "blocks/b.blk"], outputs: ["blocks/c.blk"]).encode() }

    @Test(arguments: ["meta", "index", "checkpoint", "journal"])
    func resealedMutationsNeverTrap(format: String) {
        let good: [UInt8]
        switch format {
        case "meta": good = Self.validMeta
        case "index": good = Self.validIndex
        case "checkpoint": good = Self.validCheckpoint
        default: good = Self.validJournal
        }
        var rng = StorageTestRNG(seed: UInt64(format.utf8.count))
        var reachedBody = 0
        for _ in 0..<3000 {
            var bytes = Self.mutate(good, headerKept: 8, &rng)
            Self.reseal(&bytes)
            do {
                switch format {
                case "meta": _ = try BlockMeta.decode(bytes, file: "m")
                case "index": _ = try BlockIndex.decode(bytes, file: "i", columnsSize: 1 << 20)
                case "checkpoint": _ = try Checkpoint.decode(bytes, file: "c")
                default: _ = try CompactionJournal.decode(bytes, file: "j")
                }
            } catch {
                if !error.reason.contains("CRC") { reachedBody += 1 }
            }
        }
        // Most mutations got past the CRC into the body decoder (the point of re-sealing).
        #expect(reachedBody > 1000, "\(format): only \(reachedBody) reached the body")
    }

    @Test func walRecordBodyMutationsNeverTrap() {
        var record = WALRecord(seq: 7)
        record.definitions = (0..<5).map { (UInt32($0), Self.labelsSample($0)) }
        record.sources = [("t/0", 12)]
        for i in 0..<400 {
            record.refs.append(UInt32(i % 5))
            record.timestamps.append(1_000_000 + Int64(i) * 10)
            record.values.append(Double(i % 17))
        }
        let framed = WALFormat.frame(record)
        let body = Array(framed[WALFormat.recordHeaderSize...])
        var rng = StorageTestRNG(seed: 99)
        var decoded = 0
        for _ in 0..<3000 {
            let bytes = Self.mutate(body, headerKept: 0, &rng)
            if (bytes.withUnsafeBytes { try? WALFormat.decodeBody($0) }) != nil { decoded += 1 }
        }
        #expect(decoded < 3000)
    }

    @Test func rollupBucketMutationsNeverTrap() {
        var buckets: [RollupBucket] = []
        for b in 0..<30 {
            var bucket = RollupBucket(start: Int64(b) * 60_000, sketch: QuantileSketch())
            for i in 0..<20 { bucket.add(timestamp: Int64(b) * 60_000 + Int64(i), value: Double(i * b % 97) + 0.25) }
            buckets.append(bucket)
        }
        let good = RollupCodec.encode(buckets)
        var rng = StorageTestRNG(seed: 5)
        for _ in 0..<3000 {
            let bytes = Self.mutate(good, headerKept: 0, &rng)
            _ = bytes.withUnsafeBytes { try? RollupCodec.decode($0, count: buckets.count) }
        }
    }
}
