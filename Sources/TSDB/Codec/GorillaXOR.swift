/// Gorilla XOR value compression (Pelkonen et al., VLDB 2015, section 4.1.2), for value columns
/// that are not decimal numbers.
///
/// Deviations from the paper:
/// - Values only: timestamps live in their own column, so there is no block header timestamp
///   and no interleaving with delta-of-delta timestamps.
/// - The first value is written as 64 raw bits at the start of the bit stream.
/// - The meaningful-bit length is 6 bits with 0 meaning 64 (the paper's 6 bits cannot say 64;
///   same fix as prometheus `tsdb/chunkenc/xor.go`).
/// - Leading zeros are clamped to 31 so they fit the 5-bit field (as in the paper) and a
///   window is reused when it covers the new XOR (leading >= previous, trailing >= previous).
/// - Bits are written MSB-first; the stream is zero-padded to a whole byte and has no
///   end marker because the sample count is stored by the caller.
/// - The decoder rejects windows with leading + length > 64 and a "reuse" before any window.
enum GorillaXOR {
    /// Control codes as data: (bits, bit count).
    enum Control {
        static let same: (UInt64, Int) = (0b0, 1)
        static let reuseWindow: (UInt64, Int) = (0b10, 2)
        static let newWindow: (UInt64, Int) = (0b11, 2)
        static let leadingBits = 5
        static let lengthBits = 6
        static let maxLeading = 31
    }

    /// Exact encoded size in bytes (the same walk as `encode`, counting instead of writing).
    static func byteCount(_ vs: UnsafeBufferPointer<Double>) -> Int {
        var counter = BitCounter()
        walk(vs, into: &counter)
        return (counter.bits + 7) / 8
    }

    /// Appends the bit stream to `out`.
    static func encode(_ vs: UnsafeBufferPointer<Double>, into out: inout [UInt8]) {
        var writer = MSBBitWriter(out: out)
        out = []  // drop our reference so the writer appends without copying the buffer
        walk(vs, into: &writer)
        out = writer.finish()
    }

    private static func walk<S: BitSink>(_ vs: UnsafeBufferPointer<Double>, into sink: inout S) {
        guard let first = vs.first else { return }
        var previous = first.bitPattern
        sink.write(previous, bits: 64)
        var leading = -1
        var trailing = 0  // -1: no window yet
        for v in vs.dropFirst() {
            let xor = v.bitPattern ^ previous
            previous = v.bitPattern
            if xor == 0 {
                sink.write(Control.same.0, bits: Control.same.1)
                continue
            }
            let lz = min(xor.leadingZeroBitCount, Control.maxLeading)
            let tz = xor.trailingZeroBitCount
            if leading >= 0 && lz >= leading && tz >= trailing {
                sink.write(Control.reuseWindow.0, bits: Control.reuseWindow.1)
                sink.write(xor &>> UInt64(trailing), bits: 64 - leading - trailing)
            } else {
                leading = lz
                trailing = tz
                let length = 64 - lz - tz
                sink.write(Control.newWindow.0, bits: Control.newWindow.1)
                sink.write(UInt64(lz), bits: Control.leadingBits)
                sink.write(UInt64(length & 63), bits: Control.lengthBits)
                sink.write(xor &>> UInt64(tz), bits: length)
            }
        }
    }

    static func decode(
        _ bytes: UnsafeRawBufferPointer, into dst: UnsafeMutableBufferPointer<Double>
    ) throws(DecodeError) {
        guard dst.count > 0 else { return }
        var r = MSBBitReader(bytes)
        var previous = try r.read(64)
        dst[0] = Double(bitPattern: previous)
        var leading = -1
        var length = 0
        for i in 1..<dst.count {
            if try r.read(1) == 1 {
                if try r.read(1) == 1 {
                    leading = Int(try r.read(Control.leadingBits))
                    length = Int(try r.read(Control.lengthBits))
                    if length == 0 { length = 64 }
                    guard leading + length <= 64 else {
                        throw DecodeError(offset: r.bitOffset / 8, reason: "XOR window \(leading)+\(length) > 64 bits")
                    }
                } else if leading < 0 {
                    throw DecodeError(offset: r.bitOffset / 8, reason: "XOR window reused before one was set")
                }
                previous ^= try r.read(length) &<< UInt64(64 - leading - length)
            }
            dst[i] = Double(bitPattern: previous)
        }
        guard r.bitOffset + 7 >= r.bitCount else {
            throw DecodeError(offset: r.bitOffset / 8, reason: "trailing bytes after XOR stream")
        }
    }
}

protocol BitSink {
    /// Appends the low `bits` (1...64) bits of `value`.
    mutating func write(_ value: UInt64, bits: Int)
}

struct BitCounter: BitSink {
    var bits = 0
    mutating func write(_ value: UInt64, bits: Int) { self.bits += bits }
}

/// MSB-first bit writer: the first bit written is the top bit of the first byte.
struct MSBBitWriter: BitSink {
    private var out: [UInt8]
    private var acc: UInt64 = 0
    private var used = 0  // bits held in the low end of acc

    init(out: [UInt8]) { self.out = out }

    mutating func write(_ value: UInt64, bits: Int) {
        let v = value & BitPacking.mask(width: bits)
        if used + bits < 64 {
            acc = (acc &<< UInt64(bits)) | v
            used += bits
            return
        }
        let spill = used + bits - 64  // bits of v that do not fit this word
        let head = bits - spill
        acc = head == 64 ? v : (acc &<< UInt64(head)) | (v &>> UInt64(spill))
        withUnsafeBytes(of: acc.bigEndian) { out.append(contentsOf: $0) }
        acc = v & BitPacking.mask(width: spill)
        used = spill
    }

    consuming func finish() -> [UInt8] {
        if used > 0 {
            let aligned = acc &<< UInt64(64 - used)
            for i in 0..<((used + 7) / 8) { out.append(UInt8(truncatingIfNeeded: aligned &>> UInt64(56 - 8 * i))) }
        }
        return out
    }
}

/// Bounds-checked MSB-first bit reader; throws instead of reading past the end.
struct MSBBitReader {
    private let base: UnsafeRawBufferPointer
    private(set) var bitOffset = 0
    let bitCount: Int

    init(_ base: UnsafeRawBufferPointer) {
        self.base = base
        bitCount = base.count * 8
    }

    /// Reads `bits` (1...64) bits.
    mutating func read(_ bits: Int) throws(DecodeError) -> UInt64 {
        guard bits <= bitCount - bitOffset else {
            throw DecodeError(offset: bitOffset / 8, reason: "truncated XOR stream")
        }
        if bits > 56 {
            let high = try read(bits - 32)
            return (high &<< 32) | (try read(32))
        }
        let byte = bitOffset >> 3
        var word: UInt64
        if byte + 8 <= base.count {
            word = UInt64(bigEndian: base.loadUnaligned(fromByteOffset: byte, as: UInt64.self))
        } else {
            word = 0
            for i in 0..<(base.count - byte) { word |= UInt64(base[byte + i]) &<< UInt64(56 - 8 * i) }
        }
        let value = (word &<< UInt64(bitOffset & 7)) &>> UInt64(64 - bits)
        bitOffset += bits
        return value
    }
}
