/// Every byte constant of the column format in one place (docs/format/columns.md).
/// Timestamp and value tags use disjoint ranges so a column handed to the wrong decoder
/// fails on its first byte instead of decoding garbage.
enum ColumnFormat {
    /// Column header byte 0: how the payload is stored.
    enum Compression: UInt8 {
        case raw = 0
        case lz4 = 1
    }

    /// Payload byte 0 of a timestamp column.
    enum TimestampTag: UInt8 {
        /// count x <8b> little-endian Int64.
        case raw = 0x10
        /// <varint first> <varint delta>: ts[i] = first + i * delta (wrapping).
        case constantDelta = 0x11
        /// <varint first> then count-1 x <varint> delta-of-delta (first delta minus 0).
        case deltaOfDelta = 0x12
        /// <varint first> then a packed-integer stream of the count-1 deltas.
        case packedDelta = 0x13
    }

    /// Payload byte 0 of a value column.
    enum ValueTag: UInt8 {
        /// count x <8b> little-endian IEEE-754 bit patterns.
        case raw = 0x20
        /// <8b> one bit pattern repeated count times.
        case constant = 0x21
        /// Gorilla XOR bit stream (see GorillaXOR.swift for the deviations from the paper).
        case gorillaXOR = 0x22
        /// <1b exponent> then a packed-integer stream of the mantissas m (v = Double(m) / 10^e).
        case decimalPacked = 0x23
        /// <1b exponent> <varint m0> then a packed-integer stream of the count-1 deltas of m.
        case decimalDeltaPacked = 0x24
        /// <uvarint d> <1b digits> <varint k0> then a packed-integer stream of the count-1 deltas
        /// of k: v = k / d rounded half away from zero to `digits` significant digits
        /// (RationalScan.value).
        case rationalDeltaPacked = 0x25
    }

    /// Values per bit-packing frame; the last frame of a stream may be shorter.
    static let frameSize = 1024
    /// Largest sample count a column may hold, so a corrupt count cannot allocate gigabytes.
    static let maxCount = 1 << 28
    /// LZ4 is tried only on payloads at least this long...
    static let lz4MinInput = 128
    /// ...and kept only when header + compressed bytes are at most this share of the payload.
    static let lz4KeepRatio = 0.9
    /// Largest decimal exponent tried by the decimal-integer encoding.
    static let maxDecimalExponent = 9
    /// 10^e as Double, exact for every e used (10^22 is the last exact power).
    static let powersOfTen: [Double] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]

    /// Upper bound of a valid payload's length for `count` samples (raw is 1 + 8 * count;
    /// packed streams add at most ~14 bytes per exception plus frame headers).
    static func maxPayloadLength(count: Int) -> Int { 64 + 24 * count }

    /// Bytes of the LEB128 uvarint holding `v` (size estimates compare candidates without encoding).
    @inline(__always)
    static func uvarintLength(_ v: UInt64) -> Int { max(1, (64 - v.leadingZeroBitCount + 6) / 7) }
}
