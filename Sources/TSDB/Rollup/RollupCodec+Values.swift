/// The six double columns of a rollup block. Each column carries a one-byte tag:
/// 0 constant (one 8-byte double), 1 decimal (a power-of-ten exponent byte, then zig-zag varint
/// deltas of integer mantissas), 2 raw (8-byte little-endian doubles). The encoder picks the
/// smallest; decimal is used only when every value round-trips bit for bit (so NaN, infinities
/// and -0.0 force constant or raw).
extension RollupCodec {
    /// Column order on disk.
    static var valueFields: [WritableKeyPath<RollupBucket, Double>] { [\.sum, \.min, \.max, \.first, \.last, \.sumOfSquares] }

    enum ValueTag: UInt8 {
        case constant = 0
        case decimal = 1
        case raw = 2
    }

    /// 10^0 ... 10^15, all exact doubles, so m / 10^e is the correctly rounded decimal m·10^-e.
    static let powersOfTen: [Double] = (0...15).map { e in (0..<e).reduce(1.0) { p, _ in p * 10 } }
    static let maxMantissa = Double(1 << 53)

    static func writeValues(_ buckets: [RollupBucket], _ field: WritableKeyPath<RollupBucket, Double>, _ w: inout ByteWriter) {
        let v0 = buckets[0][keyPath: field].bitPattern
        if buckets.allSatisfy({ $0[keyPath: field].bitPattern == v0 }) {
            w.writeByte(ValueTag.constant.rawValue)
            w.writeUInt64(v0)
            return
        }
        let rawSize = 8 * buckets.count
        if let e = decimalExponent(buckets, field) {
            var d = ByteWriter(capacity: rawSize)
            var prev: Int64 = 0
            var ok = true
            for b in buckets {
                let v = b[keyPath: field]
                let m = (v * powersOfTen[e]).rounded()
                guard m.magnitude <= maxMantissa, (m / powersOfTen[e]).bitPattern == v.bitPattern else {
                    ok = false
                    break
                }
                d.writeVarint(Int64(m) &- prev)
                prev = Int64(m)
                if d.count >= rawSize {
                    ok = false
                    break
                }
            }
            if ok {
                w.writeByte(ValueTag.decimal.rawValue)
                w.writeByte(UInt8(e))
                w.writeBytes(d.bytes)
                return
            }
        }
        w.writeByte(ValueTag.raw.rawValue)
        for b in buckets { w.writeDouble(b[keyPath: field]) }
    }

    /// The smallest exponent e such that every value is m / 10^e for an integer |m| <= 2^53,
    /// or nil when some value has no such short decimal form.
    static func decimalExponent(_ buckets: [RollupBucket], _ field: KeyPath<RollupBucket, Double>) -> Int? {
        var e = 0
        for b in buckets {
            let v = b[keyPath: field]
            guard v.isFinite, v.bitPattern != (-0.0).bitPattern else { return nil }
            var k = e
            while k < powersOfTen.count {
                let m = (v * powersOfTen[k]).rounded()
                if m.magnitude <= maxMantissa && (m / powersOfTen[k]).bitPattern == v.bitPattern { break }
                k += 1
            }
            guard k < powersOfTen.count else { return nil }
            e = k
        }
        return e
    }

    static func readValues(_ r: inout ByteReader, _ buckets: inout [RollupBucket], _ field: WritableKeyPath<RollupBucket, Double>)
        throws(DecodeError)
    {
        let at = r.offset
        let raw = try r.readByte()
        guard let tag = ValueTag(rawValue: raw) else { throw DecodeError(offset: at, reason: "unknown value tag \(raw)") }
        switch tag {
        case .constant:
            let v = try r.readDouble()
            for i in buckets.indices { buckets[i][keyPath: field] = v }
        case .decimal:
            let e = Int(try r.readByte())
            guard e < powersOfTen.count else { throw DecodeError(offset: at + 1, reason: "decimal exponent \(e) too large") }
            var m: Int64 = 0
            for i in buckets.indices {
                m = m &+ (try r.readVarint())
                guard m.magnitude <= UInt64(1) << 53 else { throw DecodeError(offset: r.offset, reason: "decimal mantissa out of range") }
                buckets[i][keyPath: field] = Double(m) / powersOfTen[e]
            }
        case .raw:
            for i in buckets.indices { buckets[i][keyPath: field] = try r.readDouble() }
        }
    }
}
