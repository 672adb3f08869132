/// An append-only little-endian byte sink used by every encoder in the store.
public struct ByteWriter: Sendable {
    public var bytes: [UInt8]

    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public var count: Int { bytes.count }

    @inlinable public mutating func writeByte(_ b: UInt8) { bytes.append(b) }

    @inlinable public mutating func writeBytes(_ b: some Sequence<UInt8>) { bytes.append(contentsOf: b) }

    @inlinable public mutating func writeUInt16(_ v: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: v))
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
    }

    @inlinable public mutating func writeUInt32(_ v: UInt32) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    @inlinable public mutating func writeUInt64(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    @inlinable public mutating func writeInt64(_ v: Int64) { writeUInt64(UInt64(bitPattern: v)) }

    @inlinable public mutating func writeDouble(_ v: Double) { writeUInt64(v.bitPattern) }

    /// LEB128 unsigned varint: 7 bits per byte, high bit set on all but the last byte.
    @inlinable public mutating func writeUVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    /// Zig-zag then LEB128, so small negative numbers stay short.
    @inlinable public mutating func writeVarint(_ value: Int64) { writeUVarint(ZigZag.encode(value)) }

    /// A uvarint length followed by the UTF-8 bytes.
    public mutating func writeString(_ s: String) {
        var s = s
        s.withUTF8 { buf in
            writeUVarint(UInt64(buf.count))
            bytes.append(contentsOf: buf)
        }
    }

    /// Source positions (`<uvarint n>` then n × `<str key> <varint position>`, keys sorted).
    public mutating func writeSourcePositions(_ positions: [String: Int64]) {
        writeUVarint(UInt64(positions.count))
        for (k, v) in positions.sorted(by: { $0.key < $1.key }) {
            writeString(k)
            writeVarint(v)
        }
    }

}

public enum ZigZag {
    @inlinable public static func encode(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }
    @inlinable public static func decode(_ u: UInt64) -> Int64 { Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1))) }
}
