/// Half-byte streams for sketch bins: most bins of a one-minute sketch hold one sample a few
/// keys after the previous one, which fits in 4 bits. Nibbles fill each byte low half first;
/// a stream ends on a byte boundary with a zero pad nibble when its length is odd.
/// A nibble varint carries 3 value bits per nibble, low bits first, bit 3 = "more follows".
struct NibbleWriter {
    private var pending: UInt8 = 0
    private var half = false

    mutating func write(_ nibble: UInt8, _ w: inout ByteWriter) {
        if half {
            w.writeByte(pending | nibble << 4)
            half = false
        } else {
            pending = nibble & 0xF
            half = true
        }
    }

    mutating func writeVarint(_ value: UInt64, _ w: inout ByteWriter) {
        var v = value
        while v >= 8 {
            write(UInt8(v & 7) | 8, &w)
            v >>= 3
        }
        write(UInt8(v), &w)
    }

    /// Flushes a half-filled byte (pad nibble 0).
    mutating func finish(_ w: inout ByteWriter) {
        if half {
            w.writeByte(pending)
            half = false
        }
    }
}

struct NibbleReader {
    private var current: UInt8 = 0
    private var half = false

    mutating func read(_ r: inout ByteReader) throws(DecodeError) -> UInt8 {
        if half {
            half = false
            return current >> 4
        }
        current = try r.readByte()
        half = true
        return current & 0xF
    }

    /// Reads a nibble varint of at most 22 nibbles (66 bits); rejects values above UInt64.max.
    mutating func readVarint(_ r: inout ByteReader) throws(DecodeError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let n = try read(&r)
            let bits = UInt64(n & 7)
            if shift == 63 && bits > 1 { throw DecodeError(offset: r.offset, reason: "nibble varint overflows 64 bits") }
            result |= bits << shift
            if n & 8 == 0 { return result }
            shift += 3
            if shift > 63 { throw DecodeError(offset: r.offset, reason: "nibble varint too long") }
        }
    }

    /// Ends the stream: a half-used byte must carry a zero pad nibble.
    mutating func finish(_ r: borrowing ByteReader) throws(DecodeError) {
        if half && current >> 4 != 0 { throw DecodeError(offset: r.offset - 1, reason: "nonzero nibble padding") }
        half = false
    }
}
