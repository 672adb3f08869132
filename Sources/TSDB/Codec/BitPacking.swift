/// Fixed-width bit packing, LSB-first: value i occupies bits [i*w, (i+1)*w) of a little-endian
/// bit stream (bit k lives in byte k/8 at bit position k%8). `w` is 0...64; w = 0 takes no bytes.
enum BitPacking {
    /// Bytes needed for `count` values of `width` bits.
    @inline(__always)
    static func byteCount(count: Int, width: Int) -> Int { (count &* width &+ 7) >> 3 }

    @inline(__always)
    static func mask(width: Int) -> UInt64 { width >= 64 ? ~0 : (UInt64(1) &<< UInt64(width)) &- 1 }

    /// Appends the low `width` bits of each value (higher bits are ignored).
    static func pack(_ src: UnsafeBufferPointer<UInt64>, width: Int, into out: inout [UInt8]) {
        let total = byteCount(count: src.count, width: width)
        guard total > 0 else { return }
        let start = out.count
        // 8 bytes of slack let every flush be one unaligned 64-bit store.
        out.append(contentsOf: repeatElement(0, count: total + 8))
        let m = mask(width: width)
        let w = UInt64(width)
        out.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            var dst = base + start
            var acc: UInt64 = 0
            var used: UInt64 = 0
            for v in src {
                let x = v & m
                acc |= x &<< used
                used &+= w
                if used >= 64 {
                    dst.storeBytes(of: acc.littleEndian, as: UInt64.self)
                    dst += 8
                    used &-= 64
                    // The bits of x that did not fit start the next word.
                    acc = used == 0 ? 0 : x &>> (w &- used)
                }
            }
            if used > 0 { dst.storeBytes(of: acc.littleEndian, as: UInt64.self) }
        }
        out.removeLast(8)
    }

    /// Unpacks `count` values of `width` bits from `words`, a copy of the packed bytes padded
    /// with at least one zero word (so the two-word read below never leaves the buffer).
    static func unpack(
        words: UnsafePointer<UInt64>, count: Int, width: Int, into dst: UnsafeMutablePointer<UInt64>
    ) {
        guard width > 0 else {
            dst.update(repeating: 0, count: count)
            return
        }
        let m = mask(width: width)
        var bit = 0
        for i in 0..<count {
            let word = bit &>> 6
            let shift = UInt64(bit & 63)
            let lo = UInt64(littleEndian: words[word])
            let hi = UInt64(littleEndian: words[word &+ 1])
            // (hi << 1) << (63 - shift) is hi << (64 - shift) without an undefined 64-bit shift.
            dst[i] = ((lo &>> shift) | ((hi &<< 1) &<< (63 &- shift))) & m
            bit &+= width
        }
    }
}
