/// Columnar encoding of one series' rollup buckets; byte layout in docs/format/rollups.md.
///
/// Header: version, flags (LZ4), bucket count; then a body of columns: starts (constant stride
/// or deltas in units of their gcd), counts (constant or per bucket), first/last timestamp
/// offsets from the start (zig-zag deltas between buckets), six value columns (constant,
/// decimal or raw 8-byte doubles) and the sketch column. The body is LZ4-compressed when that
/// saves at least 10% of a body of at least 128 bytes.
public enum RollupCodec {
    static let version: UInt8 = 1
    static let flagLZ4: UInt8 = 1
    /// Counts (bucket and sketch) above 2^53 are rejected as corrupt: no real rollup gets there,
    /// and merging decoded buckets can then never overflow Int64.
    static let maxCount: Int64 = 1 << 53
    static let minCompressible = 128

    /// Encodes buckets sorted by strictly increasing start.
    public static func encode(_ buckets: [RollupBucket]) -> [UInt8] {
        var w = ByteWriter(capacity: 16 + buckets.count * 48)
        w.writeByte(version)
        guard !buckets.isEmpty else {
            w.writeByte(0)
            w.writeUVarint(0)
            return w.bytes
        }
        for b in buckets { b._checkInvariants() }
        var body = ByteWriter(capacity: buckets.count * 48)
        writeStarts(buckets, &body)
        writeCounts(buckets, &body)
        writeOffsets(buckets, \.firstTimestamp, &body)
        writeOffsets(buckets, \.lastTimestamp, &body)
        for field in valueFields { writeValues(buckets, field, &body) }
        writeSketches(buckets, &body)

        let packed = body.count >= minCompressible ? LZ4.compress(body.bytes) : nil
        if let packed, packed.count <= body.count - body.count / 10 {
            w.writeByte(flagLZ4)
            w.writeUVarint(UInt64(buckets.count))
            w.writeUVarint(UInt64(body.count))
            w.writeBytes(packed)
        } else {
            w.writeByte(0)
            w.writeUVarint(UInt64(buckets.count))
            w.writeBytes(body.bytes)
        }
        return w.bytes
    }

    /// Decodes `count` buckets (the caller knows how many it stored; a mismatch is corruption).
    /// Validates every field and throws `DecodeError` on anything inconsistent; never traps.
    public static func decode(_ bytes: UnsafeRawBufferPointer, count: Int) throws(DecodeError) -> [RollupBucket] {
        var r = ByteReader(bytes)
        let v = try r.readByte()
        guard v == version else { throw DecodeError(offset: 0, reason: "unknown rollup version \(v)") }
        let flags = try r.readByte()
        guard flags & ~flagLZ4 == 0 else { throw DecodeError(offset: 1, reason: "unknown rollup flags \(flags)") }
        let n = try r.readCount(limit: Int(Int32.max), "bucket count")
        guard n == count else { throw DecodeError(offset: 2, reason: "bucket count \(n), expected \(count)") }
        if n == 0 {
            guard r.isAtEnd, flags == 0 else { throw DecodeError(offset: r.offset, reason: "bytes after empty rollup") }
            return []
        }
        if flags & flagLZ4 == 0 {
            return try decodeBody(try r.readBytes(r.remaining), n)
        }
        // LZ4 expands at most ~255x; reject sizes no payload of this length could produce.
        let rawLength = try r.readCount(limit: 1 << 30, "raw body length")
        let packed = try r.readBytes(r.remaining)
        guard rawLength <= packed.count * 255 + 16 else {
            throw DecodeError(offset: r.offset, reason: "raw body length \(rawLength) impossible for \(packed.count) LZ4 bytes")
        }
        let raw = try LZ4.decompress(packed, originalSize: rawLength)
        let result = raw.withUnsafeBytes { body in
            Result { () throws(DecodeError) -> [RollupBucket] in try decodeBody(body, n) }
        }
        return try result.get()
    }

    static func decodeBody(_ body: UnsafeRawBufferPointer, _ n: Int) throws(DecodeError) -> [RollupBucket] {
        // Each bucket costs at least two bytes (its two timestamp offsets): bound n before allocating.
        guard n <= body.count / 2 else { throw DecodeError(offset: 0, reason: "\(n) buckets cannot fit \(body.count) bytes") }
        var r = ByteReader(body)
        let starts = try readStarts(&r, n)
        var buckets = starts.map { RollupBucket(start: $0) }
        try readCounts(&r, &buckets)
        try readOffsets(&r, &buckets, first: true)
        try readOffsets(&r, &buckets, first: false)
        for field in valueFields { try readValues(&r, &buckets, field) }
        try readSketches(&r, &buckets)
        guard r.isAtEnd else { throw DecodeError(offset: r.offset, reason: "\(r.remaining) trailing bytes") }
        for b in buckets where b.count > 0 && !b.min.isNaN && !b.max.isNaN && b.min > b.max {
            throw DecodeError(offset: 0, reason: "bucket at \(b.start): min \(b.min) > max \(b.max)")
        }
        return buckets
    }

    // MARK: starts

    static func writeStarts(_ buckets: [RollupBucket], _ w: inout ByteWriter) {
        // Differences as UInt64 bit patterns: exact for any increasing pair of Int64 starts.
        func delta(_ i: Int) -> UInt64 {
            precondition(buckets[i].start > buckets[i - 1].start, "rollup buckets must have strictly increasing starts")
            return UInt64(bitPattern: buckets[i].start &- buckets[i - 1].start)
        }
        var unit: UInt64 = 0
        for i in buckets.indices.dropFirst() { unit = gcd(unit, delta(i)) }
        let constant = buckets.indices.dropFirst().allSatisfy { delta($0) == unit }
        w.writeByte(constant ? 0 : 1)
        w.writeVarint(buckets[0].start)
        w.writeUVarint(Swift.max(unit, 1))
        if !constant {
            for i in buckets.indices.dropFirst() { w.writeUVarint(delta(i) / unit) }
        }
    }

    static func readStarts(_ r: inout ByteReader, _ n: Int) throws(DecodeError) -> [Int64] {
        let at = r.offset
        let tag = try r.readByte()
        guard tag <= 1 else { throw DecodeError(offset: at, reason: "unknown start tag \(tag)") }
        var s = try r.readVarint()
        let unit = try r.readUVarint()
        guard unit >= 1 else { throw DecodeError(offset: at, reason: "zero start unit") }
        var out: [Int64] = []
        out.reserveCapacity(n)
        out.append(s)
        for _ in 1..<n {
            let steps: UInt64 = try tag == 0 ? 1 : r.readUVarint()
            let (d, overflow) = unit.multipliedReportingOverflow(by: steps)
            // The next start must stay <= Int64.max: d <= Int64.max - s, computed in UInt64.
            guard steps >= 1, !overflow, d <= UInt64(bitPattern: Int64.max &- s) else {
                throw DecodeError(offset: r.offset, reason: "bucket start delta out of range")
            }
            s = s &+ Int64(bitPattern: d)
            out.append(s)
        }
        return out
    }

    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }

    // MARK: counts and timestamp offsets

    static func writeCounts(_ buckets: [RollupBucket], _ w: inout ByteWriter) {
        let c0 = buckets[0].count
        if buckets.allSatisfy({ $0.count == c0 }) {
            w.writeByte(0)
            w.writeUVarint(UInt64(c0))
        } else {
            w.writeByte(1)
            for b in buckets { w.writeUVarint(UInt64(b.count)) }
        }
    }

    static func readCounts(_ r: inout ByteReader, _ buckets: inout [RollupBucket]) throws(DecodeError) {
        let at = r.offset
        let tag = try r.readByte()
        guard tag <= 1 else { throw DecodeError(offset: at, reason: "unknown count tag \(tag)") }
        var c: UInt64 = 0
        for i in buckets.indices {
            if tag == 1 || i == 0 { c = try r.readUVarint() }
            guard c <= UInt64(maxCount) else { throw DecodeError(offset: r.offset, reason: "bucket count \(c) too large") }
            buckets[i].count = Int64(c)
        }
    }

    /// Offsets from the bucket start, zig-zag delta against the previous bucket's offset
    /// (regular scrapes repeat the same offset, so most deltas are one byte).
    static func writeOffsets(_ buckets: [RollupBucket], _ field: KeyPath<RollupBucket, Int64>, _ w: inout ByteWriter) {
        var prev: Int64 = 0
        for b in buckets {
            let off = b[keyPath: field] &- b.start
            w.writeVarint(off &- prev)
            prev = off
        }
    }

    static func readOffsets(_ r: inout ByteReader, _ buckets: inout [RollupBucket], first: Bool) throws(DecodeError) {
        var prev: Int64 = 0
        for i in buckets.indices {
            let at = r.offset
            let (off, o1) = prev.addingReportingOverflow(try r.readVarint())
            let (t, o2) = buckets[i].start.addingReportingOverflow(off)
            let lower = first ? 0 : buckets[i].firstTimestamp &- buckets[i].start
            guard !o1, !o2, buckets[i].count == 0 ? off == 0 : off >= lower else {
                throw DecodeError(offset: at, reason: "bucket at \(buckets[i].start): bad \(first ? "first" : "last") timestamp offset")
            }
            if first { buckets[i].firstTimestamp = t } else { buckets[i].lastTimestamp = t }
            prev = off
        }
    }
}
