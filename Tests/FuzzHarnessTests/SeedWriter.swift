import Foundation
import TSDB
import Testing

/// Writes the binary seed corpora from real encodings (run alone: `FUZZ_WRITE_SEEDS=1 swift test
/// --filter SeedWriter`); the text seeds are written by hand.
@Suite struct SeedWriter {
    static func write(_ harness: String, _ name: String, _ bytes: [UInt8]) throws {
        let dir = SeedCorpusTests.root + "/corpus/" + harness
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + name))
    }

    static func le(_ b: ArraySlice<UInt8>) -> Int { b.enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) } }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["FUZZ_WRITE_SEEDS"] != nil))
    func writeBinarySeeds() throws {
        let dir = NSTemporaryDirectory() + "fuzz-seeds-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var options = StoreOptions()
        options.blockDuration = StoreOptions.hour
        let store = try Store(directory: dir, options: options)
        for h in 0..<3 {
            var batch = WriteBatch()
            for i in 0..<120 {
                let t = Int64(h) * StoreOptions.hour + Int64(i) * 30_000
                batch.append(Labels(type: "api_latency_ms", service: "api", tags: ["status": "200"]), t, Double(i % 13) * 1.5)
                batch.append(Labels(type: "http_requests_total", service: "web"), t, Double(h * 120 + i))
            }
            _ = try store.append(batch, sources: ["api_metrics/0": Int64(h + 1)])
        }
        let wal = dir + "/wal"
        for (n, name) in try FileManager.default.contentsOfDirectory(atPath: wal).sorted().enumerated() {
            let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: wal + "/" + name)))
            try Self.write("wal-segment", "segment-\(n)", bytes)
            try Self.write("wal-segment", "segment-\(n)-half", Array(bytes.prefix(bytes.count / 2)))
        }
        try store.flush()
        _ = try store.compact()
        try store.close()
        func body(_ sealed: ArraySlice<UInt8>) -> [UInt8] { Array(sealed.dropFirst(8).dropLast(4)) }
        let checkpoint = try Array(Data(contentsOf: URL(fileURLWithPath: dir + "/checkpoint")))
        try Self.write("store-files", "checkpoint", [4] + body(checkpoint[...]))
        try Self.write("store-files", "journal", [5, 1, 4, 0x61, 0x2E, 0x62, 0x6B, 1, 3, 0x63, 0x2E, 0x62])
        var blockFiles: [String] = []
        if let e = FileManager.default.enumerator(atPath: dir) {
            for case let p as String in e where p.hasSuffix(".blk") { blockFiles.append(dir + "/" + p) }
        }
        for (n, path) in blockFiles.sorted().prefix(4).enumerated() {
            let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
            let footer = bytes.count - 28
            let indexOffset = Self.le(bytes[footer..<footer + 8])
            let indexLength = Self.le(bytes[(footer + 8)..<(footer + 12)])
            let index = bytes[indexOffset..<indexOffset + indexLength]
            let meta = bytes[(indexOffset + indexLength)..<footer]
            try Self.write("store-files", "index-\(n)", [index[index.startIndex + 4] == 1 ? 2 : 3] + body(index))
            try Self.write("store-files", "meta-\(n)", [meta[meta.startIndex + 4] == 1 ? 0 : 1] + body(meta))
        }
        var buckets: [RollupBucket] = []
        for b in 0..<12 {
            var bucket = RollupBucket(start: Int64(b) * 60_000, sketch: b % 2 == 0 ? QuantileSketch() : nil)
            for i in 0..<9 { bucket.add(timestamp: Int64(b) * 60_000 + Int64(i) * 5000, value: Double((b * 7 + i) % 23) + 0.5) }
            buckets.append(bucket)
        }
        try Self.write("rollup-codec", "buckets-12", [0, 12] + RollupCodec.encode(buckets))
        try Self.write("rollup-codec", "bucket-1", [0, 1] + RollupCodec.encode(Array(buckets.prefix(1))))
        try Self.write("rollup-codec", "buckets-3", [0, 3] + RollupCodec.encode(Array(buckets.suffix(3))))
        let ts = (0..<200).map { 1_700_000_000_000 + Int64($0) * 15_000 + Int64($0 % 3) }
        try Self.write("column-codec", "timestamps", [0, 200] + ColumnCodec.encodeTimestamps(ts))
        try Self.write("column-codec", "decimals", [0, 200] + ColumnCodec.encodeValues((0..<200).map { Double($0 % 17) * 0.25 }))
        try Self.write("column-codec", "floats", [0, 200] + ColumnCodec.encodeValues((0..<200).map { sin(Double($0)) * 1e3 }))
    }
}
