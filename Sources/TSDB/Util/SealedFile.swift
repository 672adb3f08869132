/// The frame of every small metadata file (block meta and index, checkpoint, compaction
/// journal): `magic <4b> version <1b> reserved <3b> body CRC-32C <4b>`, the CRC covering
/// everything before it.
public enum SealedFile {
    /// Starts a file: magic, version, three reserved zero bytes.
    public static func begin(magic: [UInt8], version: UInt8, capacity: Int = 64) -> ByteWriter {
        var w = ByteWriter(capacity: capacity)
        w.writeBytes(magic)
        w.writeBytes([version, 0, 0, 0])
        return w
    }

    /// Appends the CRC of everything written so far.
    public static func seal(_ w: inout ByteWriter) { w.writeUInt32(CRC32C.checksum(w.bytes)) }

    /// Checks size, CRC, magic and version, then hands the body (after the 8-byte header) to
    /// `decodeBody`; every failure becomes a `CorruptionError` naming `file` and the offset.
    public static func open<T>(
        _ bytes: [UInt8], file: String, magic: [UInt8], version: UInt8,
        _ decodeBody: (inout ByteReader) throws(DecodeError) -> T
    ) throws(CorruptionError) -> T {
        try open(bytes, file: file, magic: magic, versions: version...version) { (r, _) throws(DecodeError) -> T in try decodeBody(&r) }
    }

    /// As `open`, for a format that has several versions: the body decoder gets the version.
    public static func open<T>(
        _ bytes: [UInt8], file: String, magic: [UInt8], versions: ClosedRange<UInt8>,
        _ decodeBody: (inout ByteReader, UInt8) throws(DecodeError) -> T
    ) throws(CorruptionError) -> T {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(DecodeError) -> T in
                guard raw.count >= 12 else { throw DecodeError(offset: 0, reason: "file too short (\(raw.count) bytes)") }
                let body = UnsafeRawBufferPointer(rebasing: raw[0..<raw.count - 4])
                let stored = raw.loadUnaligned(fromByteOffset: raw.count - 4, as: UInt32.self).littleEndian
                guard CRC32C.checksum(body) == stored else { throw DecodeError(offset: raw.count - 4, reason: "CRC mismatch") }
                var r = ByteReader(body)
                guard Array(try r.readBytes(4)) == magic else { throw DecodeError(offset: 0, reason: "bad magic") }
                let v = try r.readByte()
                guard versions.contains(v) else {
                    throw DecodeError(offset: 4, reason: "unsupported version \(v) (this build reads \(versions))")
                }
                try r.skip(3)
                return try decodeBody(&r, v)
            }
        }
        do { return try result.get() } catch {
            throw CorruptionError(file: file, offset: Int64(error.offset), reason: error.reason)
        }
    }
}
