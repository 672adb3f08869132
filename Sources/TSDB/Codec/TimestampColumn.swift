/// Timestamp payloads: the smallest of constant delta, delta-of-delta varints, PFOR-packed deltas
/// and raw. All delta arithmetic wraps, so any Int64 sequence (decreasing, Int64.min/max)
/// round-trips.
enum TimestampColumn {
    typealias Tag = ColumnFormat.TimestampTag

    static func encode(_ ts: UnsafeBufferPointer<Int64>, into w: inout ByteWriter) {
        guard let first = ts.first else {
            w.writeByte(Tag.raw.rawValue)
            return
        }
        var deltas = [Int64](repeating: 0, count: ts.count - 1)
        var constant = true
        var dodBytes = ColumnFormat.uvarintLength(ZigZag.encode(first))
        deltas.withUnsafeMutableBufferPointer { d in
            var previous: Int64 = 0
            for i in d.indices {
                let delta = ts[i + 1] &- ts[i]
                d[i] = delta
                constant = constant && delta == d[0]
                dodBytes += ColumnFormat.uvarintLength(ZigZag.encode(delta &- previous))
                previous = delta
            }
        }
        if constant {
            w.writeByte(Tag.constantDelta.rawValue)
            w.writeVarint(first)
            w.writeVarint(deltas.first ?? 0)
            return
        }
        deltas.withUnsafeBufferPointer { d in
            let (frames, packedBytes) = PackedInts.plan(d)
            let rawBytes = 8 * ts.count
            if packedBytes + ColumnFormat.uvarintLength(ZigZag.encode(first)) <= min(dodBytes, rawBytes) {
                w.writeByte(Tag.packedDelta.rawValue)
                w.writeVarint(first)
                PackedInts.encode(d, frames: frames, into: &w)
            } else if dodBytes <= rawBytes {
                w.writeByte(Tag.deltaOfDelta.rawValue)
                w.writeVarint(first)
                var previous: Int64 = 0
                for delta in d {
                    w.writeVarint(delta &- previous)
                    previous = delta
                }
            } else {
                w.writeByte(Tag.raw.rawValue)
                for t in ts { w.writeInt64(t) }
            }
        }
    }

    static func decode(_ payload: UnsafeRawBufferPointer, count: Int) throws(DecodeError) -> [Int64] {
        var r = ByteReader(payload)
        let tagByte = try r.readByte()
        guard let tag = Tag(rawValue: tagByte) else {
            throw DecodeError(offset: 0, reason: "unknown timestamp encoding tag \(tagByte)")
        }
        var out = [Int64](repeating: 0, count: count)
        try out.withUnsafeMutableBufferPointer { (dst) throws(DecodeError) in
            switch tag {
            case .raw:
                guard r.remaining == 8 * count else {
                    throw DecodeError(offset: 1, reason: "raw timestamps need \(8 * count) bytes, have \(r.remaining)")
                }
                for i in 0..<count { dst[i] = try r.readInt64() }
            case .constantDelta:
                var t = try r.readVarint()
                let delta = try r.readVarint()
                for i in 0..<count {
                    dst[i] = t
                    t = t &+ delta
                }
            case .deltaOfDelta:
                guard count > 0 else { break }
                var t = try r.readVarint()
                var delta: Int64 = 0
                dst[0] = t
                for i in 1..<count {
                    delta = delta &+ (try r.readVarint())
                    t = t &+ delta
                    dst[i] = t
                }
            case .packedDelta:
                guard count > 0 else { break }
                let first = try r.readVarint()
                try PackedInts.decode(&r, into: UnsafeMutableBufferPointer(rebasing: dst[1...]))
                var t = first
                dst[0] = t
                for i in 1..<count {
                    t = t &+ dst[i]
                    dst[i] = t
                }
            }
        }
        guard r.isAtEnd else { throw DecodeError(offset: r.offset, reason: "trailing bytes after timestamps") }
        return out
    }
}
