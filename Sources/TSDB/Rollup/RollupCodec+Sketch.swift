/// The sketch column of a rollup block (layout in docs/format/rollups.md):
/// presence tag (0 none, 1 all, 2 bitmap), a table of distinct accuracies, then per sketch the
/// accuracy index (only when the table has more than one entry), the number of the bucket's
/// samples the sketch ignored (NaN), the zero count and the negative and positive stores.
/// A store is its bin count, its first key as a zig-zag delta from the previous sketch's first
/// key of the same sign, then a nibble stream (`NibbleCoding.swift`) with per bin one nibble
/// `gap << 1 | multi` (key = previous key + 1 + gap; first bin: gap 0; gap field 7 = escape,
/// the gap follows as nibble varint gap - 7) and, when multi, a nibble varint count - 2.
/// Deviation from plain byte varints: a one-minute latency sketch is ~45 bins of mostly one
/// sample a few keys apart, so half a byte per bin instead of one saves ~20 bytes per bucket.
extension RollupCodec {
    static let maxAccuracies = 16

    static func writeSketches(_ buckets: [RollupBucket], _ w: inout ByteWriter) {
        let present = buckets.map { $0.sketch != nil }
        if !present.contains(true) {
            w.writeByte(0)
            return
        }
        if present.allSatisfy({ $0 }) {
            w.writeByte(1)
        } else {
            w.writeByte(2)
            var byte: UInt8 = 0
            for (i, p) in present.enumerated() {
                if p { byte |= 1 << UInt8(i & 7) }
                if i & 7 == 7 || i == present.count - 1 {
                    w.writeByte(byte)
                    byte = 0
                }
            }
        }
        var accuracies: [Double] = []
        for b in buckets {
            if let s = b.sketch, !accuracies.contains(s.relativeAccuracy) { accuracies.append(s.relativeAccuracy) }
        }
        precondition(accuracies.count <= maxAccuracies, "more than \(maxAccuracies) sketch accuracies in one series")
        w.writeUVarint(UInt64(accuracies.count))
        for a in accuracies { w.writeDouble(a) }
        var prevNeg: Int64 = 0
        var prevPos: Int64 = 0
        for b in buckets {
            guard let s = b.sketch else { continue }
            if accuracies.count > 1 {
                w.writeUVarint(UInt64(accuracies.firstIndex(of: s.relativeAccuracy) ?? 0))
            }
            w.writeUVarint(UInt64(b.count - s.count))
            w.writeUVarint(UInt64(s.zeroCount))
            writeStore(s.negative, &prevNeg, &w)
            writeStore(s.positive, &prevPos, &w)
        }
    }

    static let gapEscape: UInt64 = 7

    static func writeStore(_ store: SketchStore, _ prevFirst: inout Int64, _ w: inout ByteWriter) {
        w.writeUVarint(UInt64(store.keys.count))
        guard let firstKey = store.keys.first else { return }
        w.writeVarint(Int64(firstKey) - prevFirst)
        prevFirst = Int64(firstKey)
        var prev = Int64(firstKey) - 1
        var nibbles = NibbleWriter()
        for (k, c) in zip(store.keys, store.counts) {
            let gap = UInt64(Int64(k) - prev - 1)
            nibbles.write(UInt8(Swift.min(gap, gapEscape)) << 1 | (c == 1 ? 0 : 1), &w)
            if gap >= gapEscape { nibbles.writeVarint(gap - gapEscape, &w) }
            if c != 1 { nibbles.writeVarint(UInt64(c - 2), &w) }
            prev = Int64(k)
        }
        nibbles.finish(&w)
    }

    static func readSketches(_ r: inout ByteReader, _ buckets: inout [RollupBucket]) throws(DecodeError) {
        let at = r.offset
        let tag = try r.readByte()
        guard tag <= 2 else { throw DecodeError(offset: at, reason: "unknown sketch tag \(tag)") }
        if tag == 0 { return }
        var present = [Bool](repeating: true, count: buckets.count)
        if tag == 2 {
            let bitmap = try r.readBytes((buckets.count + 7) / 8)
            for i in present.indices { present[i] = bitmap[i >> 3] & (1 << UInt8(i & 7)) != 0 }
            if buckets.count & 7 != 0, bitmap[bitmap.count - 1] >> UInt8(buckets.count & 7) != 0 {
                throw DecodeError(offset: r.offset - 1, reason: "presence bitmap padding bits set")
            }
        }
        let tableAt = r.offset
        let nAcc = try r.readCount(limit: maxAccuracies, "sketch accuracy count")
        guard nAcc >= 1 else { throw DecodeError(offset: tableAt, reason: "empty sketch accuracy table") }
        var mappings: [LogarithmicMapping] = []
        for _ in 0..<nAcc {
            let a = try r.readDouble()
            guard LogarithmicMapping.accuracyRange.contains(a) else {
                throw DecodeError(offset: r.offset - 8, reason: "sketch accuracy \(a) out of range")
            }
            mappings.append(LogarithmicMapping(relativeAccuracy: a))
        }
        var prevNeg: Int64 = 0
        var prevPos: Int64 = 0
        for i in buckets.indices where present[i] {
            let sketchAt = r.offset
            let mapping = nAcc == 1 ? mappings[0] : mappings[try r.readCount(limit: nAcc - 1, "sketch accuracy index")]
            let ignored = try r.readCount(limit: Int(maxCount), "ignored sample count")
            let zero = try r.readCount(limit: Int(maxCount), "sketch zero count")
            var total = Int64(zero)
            let negative = try readStore(&r, mapping, &prevNeg, &total)
            let positive = try readStore(&r, mapping, &prevPos, &total)
            guard total &+ Int64(ignored) == buckets[i].count else {
                throw DecodeError(
                    offset: sketchAt, reason: "sketch counts \(total) + \(ignored) ignored != bucket count \(buckets[i].count)")
            }
            buckets[i].sketch = QuantileSketch(
                mapping: mapping, zeroCount: Int64(zero), negative: negative, positive: positive, count: total)
        }
    }

    /// Reads one store, checking keys stay in the mapping's range and the running `total` stays
    /// within `maxCount` (so it can never overflow).
    static func readStore(_ r: inout ByteReader, _ mapping: LogarithmicMapping, _ prevFirst: inout Int64, _ total: inout Int64)
        throws(DecodeError) -> SketchStore
    {
        let at = r.offset
        // Every bin costs at least one nibble, which bounds the allocation.
        let bins = try r.readCount(limit: 2 * r.remaining, "sketch bin count")
        var store = SketchStore()
        guard bins > 0 else { return store }
        let range = Int64(mapping.minKey)...Int64(mapping.maxKey)
        let (firstKey, o) = prevFirst.addingReportingOverflow(try r.readVarint())
        guard !o, range.contains(firstKey) else { throw DecodeError(offset: at, reason: "sketch key out of range") }
        prevFirst = firstKey
        store.keys.reserveCapacity(bins)
        store.counts.reserveCapacity(bins)
        var nibbles = NibbleReader()
        var prev = firstKey - 1
        for j in 0..<bins {
            let entryAt = r.offset
            let entry = try nibbles.read(&r)
            var gap = UInt64(entry >> 1)
            if gap == gapEscape { gap = (try nibbles.readVarint(&r)) &+ gapEscape }
            let c: UInt64 = entry & 1 == 0 ? 1 : (try nibbles.readVarint(&r)) &+ 2
            // gap <= range width keeps prev + 1 + gap inside Int64; the range check does the rest.
            guard j == 0 ? gap == 0 : gap <= UInt64(range.upperBound - range.lowerBound), c >= 1 else {
                throw DecodeError(offset: entryAt, reason: "bad sketch bin entry")
            }
            let key = prev + 1 + Int64(gap)
            guard range.contains(key), c <= UInt64(maxCount - total) else {
                throw DecodeError(offset: entryAt, reason: "sketch bin key out of range or count too large")
            }
            total += Int64(c)
            store.keys.append(Int32(key))
            store.counts.append(Int64(c))
            prev = key
        }
        try nibbles.finish(r)
        return store
    }
}
