/// Frame-of-reference + patched bit packing (PFOR, as in FastPFOR) of an Int64 sequence.
///
/// The sequence is cut into frames of `ColumnFormat.frameSize` values (the last may be
/// shorter; the count is known to the caller, so frames carry no length). Per frame:
/// `<varint reference> <1b width> <uvarint exceptions> <packed low bits> exceptions x
/// (<uvarint position gap> <varint high part>)`. Each value is stored as the offset
/// `v &- reference` (wrapping, so any Int64 range round-trips); offsets that do not fit `width`
/// bits keep their low bits in the packed array and their high part apart, so one spike or one
/// counter reset does not widen the whole frame.
enum PackedInts {
    /// The encoder's choice for one frame.
    struct FramePlan {
        var reference: Int64
        var width: Int
    }

    /// Chooses reference and width per frame; returns the plans and the estimated byte size.
    static func plan(_ vs: UnsafeBufferPointer<Int64>) -> (frames: [FramePlan], bytes: Int) {
        var frames: [FramePlan] = []
        frames.reserveCapacity((vs.count + ColumnFormat.frameSize - 1) / ColumnFormat.frameSize)
        var bytes = 0
        var start = 0
        while start < vs.count {
            let end = min(start + ColumnFormat.frameSize, vs.count)
            let (frame, size) = planFrame(UnsafeBufferPointer(rebasing: vs[start..<end]))
            frames.append(frame)
            bytes += size
            start = end
        }
        return (frames, bytes)
    }

    /// Appends the frames planned by `plan(_:)`.
    static func encode(_ vs: UnsafeBufferPointer<Int64>, frames: [FramePlan], into out: inout ByteWriter) {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: ColumnFormat.frameSize) { lows in
            var start = 0
            for frame in frames {
                let end = min(start + ColumnFormat.frameSize, vs.count)
                encodeFrame(UnsafeBufferPointer(rebasing: vs[start..<end]), frame, lows: lows, into: &out)
                start = end
            }
        }
    }

    /// Decodes `dst.count` values written by `encode`, validating every header field.
    static func decode(_ r: inout ByteReader, into dst: UnsafeMutableBufferPointer<Int64>) throws(DecodeError) {
        guard let out = dst.baseAddress else { return }
        // One zero word past the longest packed frame keeps BitPacking.unpack in bounds.
        var words = [UInt64](repeating: 0, count: ColumnFormat.frameSize + 2)
        try words.withUnsafeMutableBufferPointer { (wordBuffer) throws(DecodeError) in
            let scratch = UnsafeMutableRawBufferPointer(wordBuffer)
            guard let wordPtr = UnsafePointer(wordBuffer.baseAddress) else { return }
            var start = 0
            while start < dst.count {
                let len = min(ColumnFormat.frameSize, dst.count - start)
                let reference = try r.readVarint()
                let at = r.offset
                let width = Int(try r.readByte())
                guard width <= 64 else { throw DecodeError(offset: at, reason: "bit width \(width) > 64") }
                let exceptions = try r.readCount(limit: len, "exception count")
                guard exceptions == 0 || width < 64 else {
                    throw DecodeError(offset: at, reason: "exceptions in a 64-bit frame")
                }
                let body = try r.readBytes(BitPacking.byteCount(count: len, width: width))
                scratch.copyMemory(from: body)
                let frame = out + start
                frame.withMemoryRebound(to: UInt64.self, capacity: len) {
                    BitPacking.unpack(words: wordPtr, count: len, width: width, into: $0)
                }
                for i in 0..<len { frame[i] = reference &+ frame[i] }
                try patch(&r, exceptions: exceptions, frame: frame, count: len, reference: reference, width: width)
                start += len
            }
        }
    }

    // MARK: - Encoding

    private static func encodeFrame(
        _ f: UnsafeBufferPointer<Int64>, _ plan: FramePlan, lows: UnsafeMutableBufferPointer<UInt64>,
        into out: inout ByteWriter
    ) {
        let fits = BitPacking.mask(width: plan.width)
        var exceptions = 0
        for i in f.indices {
            let o = UInt64(bitPattern: f[i] &- plan.reference)
            lows[i] = o
            if o > fits { exceptions += 1 }
        }
        out.writeVarint(plan.reference)
        out.writeByte(UInt8(plan.width))
        out.writeUVarint(UInt64(exceptions))
        BitPacking.pack(UnsafeBufferPointer(rebasing: lows[0..<f.count]), width: plan.width, into: &out.bytes)
        guard exceptions > 0 else { return }
        var previous = -1
        for i in 0..<f.count where lows[i] > fits {
            out.writeUVarint(UInt64(i - previous - 1))
            // Arithmetic shift: an offset that wrapped below the reference has a small negative high part.
            out.writeVarint(Int64(bitPattern: lows[i]) >> Int64(plan.width))
            previous = i
        }
    }

    /// Reference candidates: the minimum, and (when a few values sit far below the rest, like a
    /// counter reset among deltas) the minimum of the values >= 2 * mean - max, whose lower
    /// outliers then become exceptions with small negative high parts.
    private static func planFrame(_ f: UnsafeBufferPointer<Int64>) -> (FramePlan, Int) {
        var lo = f[0]
        var hi = f[0]
        var sum = 0.0
        for v in f {
            lo = min(lo, v)
            hi = max(hi, v)
            sum += Double(v)
        }
        var best = cost(f, reference: lo)
        let threshold = 2 * sum / Double(f.count) - Double(hi)
        if Double(lo) < threshold {
            var robust = hi
            for v in f where Double(v) >= threshold { robust = min(robust, v) }
            let alternative = cost(f, reference: robust)
            if alternative.1 < best.1 { best = alternative }
        }
        return best
    }

    /// The cheapest width for `reference`, from a histogram of offset bit widths. Exception
    /// costs assume a one-byte position gap.
    private static func cost(_ f: UnsafeBufferPointer<Int64>, reference: Int64) -> (FramePlan, Int) {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 128) { hist in
            // hist[0..<64]: offsets in 0..<2^63 by bit width; hist[64..<128]: offsets that wrapped
            // (values below the reference) by the bit width of their complement.
            hist.initialize(repeating: 0)
            for v in f {
                let o = UInt64(bitPattern: v &- reference)
                let negative = UInt64(bitPattern: Int64(bitPattern: o) >> 63)
                let width = 64 - (o ^ negative).leadingZeroBitCount
                hist[width + Int(negative & 64)] += 1
            }
            var maxWidth = 0
            var maxNegative = -1
            for w in 0..<64 where hist[w] != 0 { maxWidth = w }
            for w in 0..<64 where hist[64 + w] != 0 { maxNegative = w }
            let header = ColumnFormat.uvarintLength(ZigZag.encode(reference)) + 1
            var best = (FramePlan(reference: reference, width: 64), Int.max)
            for width in 0...(maxNegative >= 0 ? 64 : maxWidth) {
                var exceptions = 0
                var exceptionBytes = 0
                if width < 64 {
                    for w in stride(from: width + 1, through: maxWidth, by: 1) {
                        exceptions += hist[w]
                        exceptionBytes += hist[w] * (1 + (w - width + 7) / 7)
                    }
                    for w in 0..<(maxNegative + 1) {
                        exceptions += hist[64 + w]
                        exceptionBytes += hist[64 + w] * (1 + (max(0, w - width) + 7) / 7)
                    }
                }
                let bytes =
                    header + ColumnFormat.uvarintLength(UInt64(exceptions)) + exceptionBytes
                    + BitPacking.byteCount(count: f.count, width: width)
                if bytes < best.1 { best = (FramePlan(reference: reference, width: width), bytes) }
            }
            return best
        }
    }

    // MARK: - Decoding

    private static func patch(
        _ r: inout ByteReader, exceptions: Int, frame: UnsafeMutablePointer<Int64>, count: Int,
        reference: Int64, width: Int
    ) throws(DecodeError) {
        var position = -1
        for _ in 0..<exceptions {
            let at = r.offset
            let gap = try r.readUVarint()
            guard gap < UInt64(count - 1 - position) else {
                throw DecodeError(offset: at, reason: "exception position past frame end")
            }
            position += 1 + Int(gap)
            let high = UInt64(bitPattern: try r.readVarint())
            let low = UInt64(bitPattern: frame[position] &- reference)
            frame[position] = reference &+ Int64(bitPattern: (high &<< UInt64(width)) | low)
        }
    }
}
