import CLZ4

/// The one Swift file that talks to liblz4 (block API).
public enum LZ4 {
    /// Compresses `input`; returns nil when the output would not be smaller (callers then store
    /// the bytes raw).
    public static func compress(_ input: UnsafeRawBufferPointer) -> [UInt8]? {
        guard input.count > 0, input.count <= Int(LZ4_MAX_INPUT_SIZE) else { return nil }
        let bound = Int(LZ4_compressBound(Int32(input.count)))
        var out = [UInt8](repeating: 0, count: bound)
        let written = out.withUnsafeMutableBytes { dst in
            LZ4_compress_default(
                input.baseAddress!.assumingMemoryBound(to: CChar.self),
                dst.baseAddress!.assumingMemoryBound(to: CChar.self),
                Int32(input.count), Int32(bound))
        }
        guard written > 0, Int(written) < input.count else { return nil }
        out.removeSubrange(Int(written)...)
        return out
    }

    public static func compress(_ input: [UInt8]) -> [UInt8]? {
        input.withUnsafeBytes { compress($0) }
    }

    /// Decompresses exactly `originalSize` bytes; throws on any mismatch, never traps on bad input.
    public static func decompress(_ input: UnsafeRawBufferPointer, originalSize: Int) throws(DecodeError) -> [UInt8] {
        guard originalSize >= 0, originalSize <= Int(LZ4_MAX_INPUT_SIZE) else {
            throw DecodeError(offset: 0, reason: "LZ4 original size \(originalSize) out of range")
        }
        if originalSize == 0 {
            guard input.count <= 1 else { throw DecodeError(offset: 0, reason: "LZ4 payload for empty output") }
            return []
        }
        guard let src = input.baseAddress, input.count > 0 else {
            throw DecodeError(offset: 0, reason: "empty LZ4 payload")
        }
        var out = [UInt8](repeating: 0, count: originalSize)
        let n = out.withUnsafeMutableBytes { dst in
            LZ4_decompress_safe(
                src.assumingMemoryBound(to: CChar.self),
                dst.baseAddress!.assumingMemoryBound(to: CChar.self),
                Int32(input.count), Int32(originalSize))
        }
        guard Int(n) == originalSize else {
            throw DecodeError(offset: 0, reason: "LZ4 payload is corrupt (decoded \(n) of \(originalSize) bytes)")
        }
        return out
    }
}
