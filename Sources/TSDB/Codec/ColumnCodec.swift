/// Encodes and decodes the timestamp and value columns of one series in an immutable block.
///
/// Column bytes: `<1b compression>` (0 raw, 1 LZ4 followed by `<uvarint payload length>`),
/// then the payload, whose first byte is the encoding tag. The sample count is stored by the
/// caller. Layout: docs/format/columns.md.
public enum ColumnCodec {
    /// Self-describing bytes of a timestamp column (count is stored by the caller, not here).
    public static func encodeTimestamps(_ ts: UnsafeBufferPointer<Int64>) -> [UInt8] {
        var w = ByteWriter(capacity: 16 + ts.count * 2)
        w.writeByte(ColumnFormat.Compression.raw.rawValue)
        TimestampColumn.encode(ts, into: &w)
        return compressIfWorthwhile(w.bytes)
    }

    /// Decodes `count` timestamps; throws on any malformed input.
    public static func decodeTimestamps(_ bytes: UnsafeRawBufferPointer, count: Int) throws(DecodeError) -> [Int64] {
        try withPayload(bytes, count: count) { (payload) throws(DecodeError) in
            try TimestampColumn.decode(payload, count: count)
        }
    }

    /// Self-describing bytes of a value column, bit-exact for every Double (NaN payloads included).
    public static func encodeValues(_ vs: UnsafeBufferPointer<Double>) -> [UInt8] {
        var w = ByteWriter(capacity: 16 + vs.count * 3)
        w.writeByte(ColumnFormat.Compression.raw.rawValue)
        ValueColumn.encode(vs, into: &w)
        return compressIfWorthwhile(w.bytes)
    }

    /// Decodes `count` values; throws on any malformed input.
    public static func decodeValues(_ bytes: UnsafeRawBufferPointer, count: Int) throws(DecodeError) -> [Double] {
        try withPayload(bytes, count: count) { (payload) throws(DecodeError) in
            try ValueColumn.decode(payload, count: count)
        }
    }

    /// Array convenience for `encodeTimestamps(_:)`.
    public static func encodeTimestamps(_ ts: [Int64]) -> [UInt8] {
        ts.withUnsafeBufferPointer { encodeTimestamps($0) }
    }

    /// Array convenience for `decodeTimestamps(_:count:)`.
    public static func decodeTimestamps(_ bytes: [UInt8], count: Int) throws(DecodeError) -> [Int64] {
        try bytes.withUnsafeBufferPointer { (buf) throws(DecodeError) in try decodeTimestamps(UnsafeRawBufferPointer(buf), count: count) }
    }

    /// Array convenience for `encodeValues(_:)`.
    public static func encodeValues(_ vs: [Double]) -> [UInt8] {
        vs.withUnsafeBufferPointer { encodeValues($0) }
    }

    /// Array convenience for `decodeValues(_:count:)`.
    public static func decodeValues(_ bytes: [UInt8], count: Int) throws(DecodeError) -> [Double] {
        try bytes.withUnsafeBufferPointer { (buf) throws(DecodeError) in try decodeValues(UnsafeRawBufferPointer(buf), count: count) }
    }

    // MARK: - Column header

    /// `column` is a raw-mode column (header byte + payload); LZ4 replaces it only when it pays.
    private static func compressIfWorthwhile(_ column: [UInt8]) -> [UInt8] {
        let payloadLength = column.count - 1
        guard payloadLength >= ColumnFormat.lz4MinInput,
            let packed = column.withUnsafeBytes({ LZ4.compress(UnsafeRawBufferPointer(rebasing: $0[1...])) })
        else { return column }
        var w = ByteWriter(capacity: packed.count + 11)
        w.writeByte(ColumnFormat.Compression.lz4.rawValue)
        w.writeUVarint(UInt64(payloadLength))
        w.writeBytes(packed)
        guard Double(w.count - 1) <= Double(payloadLength) * ColumnFormat.lz4KeepRatio else { return column }
        return w.bytes
    }

    /// Validates `count`, strips the header and hands the (decompressed) payload to `body`.
    private static func withPayload<R>(
        _ bytes: UnsafeRawBufferPointer, count: Int,
        _ body: (UnsafeRawBufferPointer) throws(DecodeError) -> R
    ) throws(DecodeError) -> R {
        guard count >= 0, count <= ColumnFormat.maxCount else {
            throw DecodeError(offset: 0, reason: "sample count \(count) outside 0...\(ColumnFormat.maxCount)")
        }
        var r = ByteReader(bytes)
        let mode = try r.readByte()
        switch ColumnFormat.Compression(rawValue: mode) {
        case .raw:
            return try body(UnsafeRawBufferPointer(rebasing: bytes[1...]))
        case .lz4:
            let length = try r.readCount(limit: ColumnFormat.maxPayloadLength(count: count), "payload length")
            let payload = try LZ4.decompress(UnsafeRawBufferPointer(rebasing: bytes[r.offset...]), originalSize: length)
            return try payload.withUnsafeBufferPointer { (buf) throws(DecodeError) in try body(UnsafeRawBufferPointer(buf)) }
        case nil:
            throw DecodeError(offset: 0, reason: "unknown column compression \(mode)")
        }
    }
}
