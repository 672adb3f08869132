/// Thrown by `ByteReader` when the input ends early or holds an impossible value.
/// Decoders wrap it into errors that name the file and offset.
public struct DecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    public var offset: Int
    public var reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "at byte \(offset): \(reason)" }
}

/// A bounds-checked little-endian reader over untrusted bytes. It never traps: every read
/// that would run past the end throws `DecodeError`.
public struct ByteReader: ~Copyable {
    @usableFromInline let base: UnsafeRawBufferPointer
    public private(set) var offset: Int

    public init(_ base: UnsafeRawBufferPointer, offset: Int = 0) {
        self.base = base
        self.offset = offset
    }

    public var remaining: Int { base.count - offset }
    public var isAtEnd: Bool { offset >= base.count }

    @inline(__always) mutating func need(_ n: Int, _ what: StaticString) throws(DecodeError) {
        if n < 0 || n > base.count - offset {
            throw DecodeError(offset: offset, reason: "truncated: need \(n) bytes for \(what), \(base.count - offset) left")
        }
    }

    public mutating func readByte() throws(DecodeError) -> UInt8 {
        try need(1, "byte")
        defer { offset += 1 }
        return base[offset]
    }

    public mutating func readUInt16() throws(DecodeError) -> UInt16 {
        try need(2, "uint16")
        defer { offset += 2 }
        return UInt16(base[offset]) | UInt16(base[offset + 1]) << 8
    }

    public mutating func readUInt32() throws(DecodeError) -> UInt32 {
        try need(4, "uint32")
        defer { offset += 4 }
        return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    public mutating func readUInt64() throws(DecodeError) -> UInt64 {
        try need(8, "uint64")
        defer { offset += 8 }
        return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    public mutating func readInt64() throws(DecodeError) -> Int64 { Int64(bitPattern: try readUInt64()) }

    public mutating func readDouble() throws(DecodeError) -> Double { Double(bitPattern: try readUInt64()) }

    public mutating func readUVarint() throws(DecodeError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < base.count else { throw DecodeError(offset: offset, reason: "truncated varint") }
            let b = base[offset]
            offset += 1
            if shift == 63 && b > 1 { throw DecodeError(offset: offset - 1, reason: "varint overflows 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
            if shift > 63 { throw DecodeError(offset: offset, reason: "varint longer than 10 bytes") }
        }
    }

    public mutating func readVarint() throws(DecodeError) -> Int64 { ZigZag.decode(try readUVarint()) }

    /// Reads a uvarint that must fit `limit` (a count or a length), so a corrupt header cannot
    /// make a caller allocate gigabytes.
    public mutating func readCount(limit: Int, _ what: StaticString) throws(DecodeError) -> Int {
        let start = offset
        let v = try readUVarint()
        guard v <= UInt64(limit) else {
            throw DecodeError(offset: start, reason: "\(what) \(v) exceeds limit \(limit)")
        }
        return Int(v)
    }

    public mutating func readBytes(_ n: Int) throws(DecodeError) -> UnsafeRawBufferPointer {
        try need(n, "byte run")
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: base[offset..<offset + n])
    }

    public mutating func readString(limit: Int = 1 << 16) throws(DecodeError) -> String {
        let n = try readCount(limit: limit, "string length")
        let raw = try readBytes(n)
        return String(decoding: raw, as: UTF8.self)
    }

    /// Reads what `ByteWriter.writeSourcePositions` wrote.
    public mutating func readSourcePositions() throws(DecodeError) -> [String: Int64] {
        let n = try readCount(limit: remaining, "source count")
        var out: [String: Int64] = [:]
        for _ in 0..<n { out[try readString()] = try readVarint() }
        return out
    }

    public mutating func skip(_ n: Int) throws(DecodeError) {
        try need(n, "skip")
        offset += n
    }
}
