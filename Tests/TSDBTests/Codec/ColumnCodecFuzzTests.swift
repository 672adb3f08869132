import Testing

@testable import TSDB

/// Random and damaged bytes never crash a decoder: it throws or returns exactly `count` values.
@Suite struct ColumnCodecFuzzTests {
    @Test func randomBytesNeverCrash() {
        var rng = CodecTestRNG(seed: 0xF022)
        let tags: [UInt8] = [0x10, 0x11, 0x12, 0x13, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25]
        for _ in 0..<4000 {
            var bytes = (0..<rng.int(0...80)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Mostly well-formed headers and tags, so the decoders get past their first checks.
            if bytes.count > 1, rng.chance(0.8) {
                bytes[0] = 0
                bytes[1] = tags[rng.int(0...tags.count - 1)]
            }
            if bytes.count > 3, rng.chance(0.3) { bytes[3] = UInt8(rng.int(0...66)) }
            let count = rng.chance(0.5) ? rng.int(0...8) : rng.int(0...3000)
            expectSafeDecode(bytes, count: count)
        }
    }

    @Test(arguments: CodecShape.allCases)
    func damagedEncodingsNeverCrash(shape: CodecShape) {
        var rng = CodecTestRNG(seed: 0xDA3A)
        for seed in UInt64(0)..<40 {
            let size = [1, 2, 7, 300, 1025][Int(seed % 5)]
            let (ts, vs) = shape.generate(count: size, seed: seed)
            for column in [ColumnCodec.encodeTimestamps(ts), ColumnCodec.encodeValues(vs)] {
                for _ in 0..<12 {
                    var bytes = column
                    switch rng.int(0...3) {
                    case 0:
                        for _ in 0..<rng.int(1...3) {
                            let bit = rng.int(0...bytes.count * 8 - 1)
                            bytes[bit / 8] ^= 1 << (bit % 8)
                        }
                    case 1: bytes.removeLast(rng.int(1...bytes.count))
                    case 2: bytes += (0..<rng.int(1...9)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                    default: bytes[rng.int(0...bytes.count - 1)] = UInt8.random(in: 0...255, using: &rng)
                    }
                    expectSafeDecode(bytes, count: size + (rng.chance(0.2) ? rng.int(-1...1) : 0))
                }
            }
        }
    }

    @Test func rejectsBadHeaders() {
        let column = ColumnCodec.encodeValues([1.5, 2.5, 3.5])
        #expect(throws: DecodeError.self) { try ColumnCodec.decodeValues(column, count: -1) }
        #expect(throws: DecodeError.self) { try ColumnCodec.decodeValues(column, count: ColumnFormat.maxCount + 1) }
        #expect(throws: DecodeError.self) { try ColumnCodec.decodeValues([7] + column.dropFirst(), count: 3) }
        #expect(throws: DecodeError.self) { try ColumnCodec.decodeTimestamps(column, count: 3) }  // value tag
        #expect(throws: DecodeError.self) { try ColumnCodec.decodeValues(column + [0], count: 3) }  // trailing byte
        #expect(throws: DecodeError.self) { try ColumnCodec.decodeValues([], count: 0) }
        // A frame claiming width 65, and one claiming an exception in a 64-bit frame.
        #expect(throws: DecodeError.self) { try ColumnCodec.decodeTimestamps([0, 0x13, 0, 0, 65, 0], count: 2) }
        #expect(throws: DecodeError.self) {
            try ColumnCodec.decodeTimestamps([0, 0x13, 0, 0, 64, 1] + Array(repeating: 0, count: 10), count: 2)
        }
        // Exception position past the frame end (frame of 1 delta, gap 1).
        #expect(throws: DecodeError.self) { try ColumnCodec.decodeTimestamps([0, 0x13, 0, 0, 0, 1, 1, 2], count: 2) }
        // Decimal exponent 10.
        #expect(throws: DecodeError.self) { try ColumnCodec.decodeValues([0, 0x23, 10, 0, 0, 0], count: 1) }
    }

    private func expectSafeDecode(_ bytes: [UInt8], count: Int) {
        if let ts = try? ColumnCodec.decodeTimestamps(bytes, count: count) { #expect(ts.count == count) }
        if let vs = try? ColumnCodec.decodeValues(bytes, count: count) { #expect(vs.count == count) }
    }
}
