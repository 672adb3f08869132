/// Value payloads: the smallest of constant, decimal integers (PFOR-packed raw or as deltas),
/// rationals k / d to P digits (their numerators' deltas packed), Gorilla XOR and raw 8-byte floats. Every candidate is bit-exact for any Double.
enum ValueColumn {
    typealias Tag = ColumnFormat.ValueTag

    static func encode(_ vs: UnsafeBufferPointer<Double>, into w: inout ByteWriter) {
        guard let first = vs.first else {
            w.writeByte(Tag.raw.rawValue)
            return
        }
        if vs.allSatisfy({ $0.bitPattern == first.bitPattern }) {
            w.writeByte(Tag.constant.rawValue)
            w.writeDouble(first)
            return
        }
        var bestBytes = 8 * vs.count
        var decimal: DecimalChoice?
        if let (exponent, mantissas) = DecimalScan.scan(vs) {
            let choice = DecimalChoice(exponent: exponent, mantissas: mantissas)
            if choice.bytes < bestBytes {
                bestBytes = choice.bytes
                decimal = choice
            }
        }
        var rational: RationalChoice?
        if decimal == nil || bestBytes > 2 * vs.count, let (d, p, ks) = RationalScan.scan(vs) {
            let choice = RationalChoice(denominator: d, digits: p, numerators: ks)
            if choice.bytes < bestBytes {
                bestBytes = choice.bytes
                rational = choice
            }
        }
        let gorillaBytes = GorillaXOR.byteCount(vs)
        if gorillaBytes < bestBytes {
            w.writeByte(Tag.gorillaXOR.rawValue)
            GorillaXOR.encode(vs, into: &w.bytes)
        } else if let rational {
            rational.encode(into: &w)
        } else if let decimal {
            decimal.encode(into: &w)
        } else {
            w.writeByte(Tag.raw.rawValue)
            for v in vs { w.writeDouble(v) }
        }
    }

    static func decode(_ payload: UnsafeRawBufferPointer, count: Int) throws(DecodeError) -> [Double] {
        var r = ByteReader(payload)
        let tagByte = try r.readByte()
        guard let tag = Tag(rawValue: tagByte) else {
            throw DecodeError(offset: 0, reason: "unknown value encoding tag \(tagByte)")
        }
        if tag == .raw, r.remaining != 8 * count {
            throw DecodeError(offset: 1, reason: "raw values need \(8 * count) bytes, have \(r.remaining)")
        }
        var out = [Double](repeating: 0, count: count)
        try out.withUnsafeMutableBufferPointer { (dst) throws(DecodeError) in
            switch tag {
            case .raw:
                for i in 0..<count { dst[i] = try r.readDouble() }
            case .constant:
                dst.update(repeating: try r.readDouble())
            case .gorillaXOR:
                try GorillaXOR.decode(UnsafeRawBufferPointer(rebasing: payload[1...]), into: dst)
                try r.skip(r.remaining)
            case .decimalPacked, .decimalDeltaPacked:
                try decodeDecimal(&r, delta: tag == .decimalDeltaPacked, into: dst)
            case .rationalDeltaPacked:
                try decodeRational(&r, into: dst)
            }
        }
        guard r.isAtEnd else { throw DecodeError(offset: r.offset, reason: "trailing bytes after values") }
        return out
    }

    /// Mantissas are decoded into `dst`'s own memory (same size as Int64) and converted in place.
    private static func decodeDecimal(
        _ r: inout ByteReader, delta: Bool, into dst: UnsafeMutableBufferPointer<Double>
    ) throws(DecodeError) {
        let exponent = Int(try r.readByte())
        guard exponent <= ColumnFormat.maxDecimalExponent else {
            throw DecodeError(offset: r.offset - 1, reason: "decimal exponent \(exponent) > \(ColumnFormat.maxDecimalExponent)")
        }
        guard let base = dst.baseAddress, dst.count > 0 else { return }
        let count = dst.count
        let m0 = delta ? try r.readVarint() : 0
        let skip = delta ? 1 : 0
        try base.withMemoryRebound(to: Int64.self, capacity: count) { (ms) throws(DecodeError) in
            try PackedInts.decode(&r, into: UnsafeMutableBufferPointer(start: ms + skip, count: count - skip))
            guard delta else { return }
            var m = m0
            ms[0] = m
            for i in 1..<count {
                m = m &+ ms[i]
                ms[i] = m
            }
        }
        let scale = ColumnFormat.powersOfTen[exponent]
        for i in 0..<count {
            dst[i] = DecimalScan.value(Int64(bitPattern: dst[i].bitPattern), scale: scale)
        }
    }
}

extension ValueColumn {
    fileprivate static func decodeRational(_ r: inout ByteReader, into dst: UnsafeMutableBufferPointer<Double>) throws(DecodeError) {
        let at = r.offset
        let d = try r.readUVarint()
        let digits = Int(try r.readByte())
        guard d > 0, d <= UInt64(RationalScan.maxDenominator), (1...17).contains(digits) else {
            throw DecodeError(offset: at, reason: "rational denominator \(d) or digit count \(digits) out of range")
        }
        guard let base = dst.baseAddress, dst.count > 0 else { return }
        let count = dst.count
        let k0 = try r.readVarint()
        try base.withMemoryRebound(to: Int64.self, capacity: count) { (ks) throws(DecodeError) in
            try PackedInts.decode(&r, into: UnsafeMutableBufferPointer(start: ks + 1, count: count - 1))
            var k = k0
            ks[0] = k
            for i in 1..<count {
                k = k &+ ks[i]
                ks[i] = k
            }
        }
        for i in 0..<count {
            let k = Int64(bitPattern: dst[i].bitPattern)
            guard let v = RationalScan.value(k, denominator: Int64(d), digits: digits) else {
                throw DecodeError(offset: at, reason: "rational numerator \(k) out of range")
            }
            dst[i] = v
        }
    }
}

/// Rationals: the numerators' deltas packed.
private struct RationalChoice {
    let denominator: Int64
    let digits: Int
    let numerators: [Int64]
    let deltas: [Int64]
    let frames: [PackedInts.FramePlan]
    let bytes: Int

    init(denominator: Int64, digits: Int, numerators: [Int64]) {
        self.denominator = denominator
        self.digits = digits
        self.numerators = numerators
        var deltas = [Int64](repeating: 0, count: numerators.count - 1)
        for i in deltas.indices { deltas[i] = numerators[i + 1] &- numerators[i] }
        let plan = deltas.withUnsafeBufferPointer { PackedInts.plan($0) }
        frames = plan.frames
        bytes =
            2 + ColumnFormat.uvarintLength(UInt64(denominator)) + ColumnFormat.uvarintLength(ZigZag.encode(numerators[0]))
            + plan.bytes
        self.deltas = deltas
    }

    func encode(into w: inout ByteWriter) {
        w.writeByte(ColumnFormat.ValueTag.rationalDeltaPacked.rawValue)
        w.writeUVarint(UInt64(denominator))
        w.writeByte(UInt8(digits))
        w.writeVarint(numerators[0])
        deltas.withUnsafeBufferPointer { PackedInts.encode($0, frames: frames, into: &w) }
    }
}

/// The cheaper of the two decimal layouts (mantissas as they are, or their deltas).
private struct DecimalChoice {
    let exponent: Int
    let mantissas: [Int64]
    let deltas: [Int64]
    let frames: [PackedInts.FramePlan]
    let useDeltas: Bool
    let bytes: Int

    init(exponent: Int, mantissas: [Int64]) {
        self.exponent = exponent
        self.mantissas = mantissas
        var deltas = [Int64](repeating: 0, count: mantissas.count - 1)
        for i in deltas.indices { deltas[i] = mantissas[i + 1] &- mantissas[i] }
        let plain = mantissas.withUnsafeBufferPointer { PackedInts.plan($0) }
        let delta = deltas.withUnsafeBufferPointer { PackedInts.plan($0) }
        let deltaBytes = delta.bytes + ColumnFormat.uvarintLength(ZigZag.encode(mantissas[0]))
        useDeltas = deltaBytes < plain.bytes
        frames = useDeltas ? delta.frames : plain.frames
        bytes = 2 + (useDeltas ? deltaBytes : plain.bytes)
        self.deltas = deltas
    }

    func encode(into w: inout ByteWriter) {
        w.writeByte((useDeltas ? ColumnFormat.ValueTag.decimalDeltaPacked : .decimalPacked).rawValue)
        w.writeByte(UInt8(exponent))
        if useDeltas {
            w.writeVarint(mantissas[0])
            deltas.withUnsafeBufferPointer { PackedInts.encode($0, frames: frames, into: &w) }
        } else {
            mantissas.withUnsafeBufferPointer { PackedInts.encode($0, frames: frames, into: &w) }
        }
    }
}
