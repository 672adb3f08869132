import Testing

@testable import TSDB

/// The building blocks against brute-force references.
@Suite struct PackedIntsTests {
    @Test(arguments: Array(0...64))
    func bitPackingMatchesReference(width: Int) {
        var rng = CodecTestRNG(seed: UInt64(width))
        for count in [0, 1, 2, 63, 64, 65, 1024] {
            let values = (0..<count).map { _ in rng.next() }
            var packed: [UInt8] = []
            values.withUnsafeBufferPointer { BitPacking.pack($0, width: width, into: &packed) }
            // Reference: bit k of the stream is bit k % 8 of byte k / 8, value i holds bits [i*w, (i+1)*w).
            var reference = [UInt8](repeating: 0, count: (count * width + 7) / 8)
            for i in 0..<count {
                for bit in 0..<width where (values[i] >> UInt64(bit)) & 1 == 1 {
                    let k = i * width + bit
                    reference[k / 8] |= 1 << (k % 8)
                }
            }
            #expect(packed == reference)
            var words = [UInt64](repeating: 0, count: packed.count / 8 + 2)
            words.withUnsafeMutableBytes { $0.copyBytes(from: packed) }
            var unpacked = [UInt64](repeating: 1, count: count)
            words.withUnsafeBufferPointer { w in
                unpacked.withUnsafeMutableBufferPointer { out in
                    guard let base = out.baseAddress, let src = w.baseAddress else { return }
                    BitPacking.unpack(words: src, count: count, width: width, into: base)
                }
            }
            #expect(unpacked == values.map { $0 & BitPacking.mask(width: width) })
        }
    }

    @Test func packedStreamsRoundTripAdversarialFrames() throws {
        var rng = CodecTestRNG(seed: 99)
        for round in 0..<60 {
            let count = [1, 5, 1023, 1024, 1025, 2500][round % 6]
            let values: [Int64] = (0..<count).map { _ in
                switch round % 5 {
                case 0: return Int64(rng.int(0...100)) + (rng.chance(0.01) ? -1_000_000_000 : 0)  // counter reset
                case 1: return rng.chance(0.02) ? Int64(bitPattern: rng.next()) : Int64(rng.int(-8...8))
                case 2: return rng.chance(0.5) ? .min : .max
                case 3: return Int64(rng.int(0...1000)) * (rng.chance(0.01) ? 1 << 40 : 1)  // spikes
                default: return Int64(bitPattern: rng.next())
                }
            }
            var w = ByteWriter()
            values.withUnsafeBufferPointer { v in
                let (frames, estimate) = PackedInts.plan(v)
                PackedInts.encode(v, frames: frames, into: &w)
                // The estimate assumes one-byte position gaps, so it may only undercount those.
                #expect(estimate <= w.count && w.count <= estimate + count)
            }
            var decoded = [Int64](repeating: 0, count: count)
            try w.bytes.withUnsafeBytes { raw in
                var r = ByteReader(raw)
                try decoded.withUnsafeMutableBufferPointer { try PackedInts.decode(&r, into: $0) }
                let atEnd = r.isAtEnd
                #expect(atEnd)
            }
            #expect(decoded == values, "round \(round)")
        }
    }

    @Test func counterResetBecomesAnException() {
        // 1000 deltas of 0...100 and one reset: the frame stays 7 bits wide.
        var deltas = (0..<1000).map { Int64($0 % 101) }
        deltas[500] = -123_456_789
        deltas.withUnsafeBufferPointer { v in
            let (frames, bytes) = PackedInts.plan(v)
            #expect(frames.map(\.width) == [7])
            #expect(bytes < 1000 * 7 / 8 + 16)
        }
    }

    @Test(arguments: [
        (123.45, 2, Int64(12345)), (5, 0, 5), (-0.5, 1, -5), (0, 0, 0), (1e-9, 9, 1), (123456789.125, 3, 123_456_789_125),
    ])
    func decimalScanFindsSmallestExponent(value: Double, exponent: Int, mantissa: Int64) {
        let found = [value].withUnsafeBufferPointer { DecimalScan.scan($0) }
        #expect(found?.exponent == exponent)
        #expect(found?.mantissas == [mantissa])
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity, -0.0, 0.1 + 0.2, 1e300, 1e-300, .leastNonzeroMagnitude])
    func decimalScanRejects(value: Double) {
        #expect([1.5, value].withUnsafeBufferPointer { DecimalScan.scan($0) } == nil)
    }

    @Test func gorillaRoundTripsAndCountsExactly() throws {
        var rng = CodecTestRNG(seed: 5)
        for round in 0..<50 {
            let count = rng.int(1...600)
            var v = 1.0
            let values: [Double] = (0..<count).map { _ in
                switch round % 3 {
                case 0:
                    v += rng.normal()
                    return v
                case 1: return rng.chance(0.7) ? v : Double(bitPattern: rng.next())
                default: return CodecShape.specialValues[rng.int(0...CodecShape.specialValues.count - 1)]
                }
            }
            var bytes: [UInt8] = []
            let predicted = values.withUnsafeBufferPointer { GorillaXOR.byteCount($0) }
            values.withUnsafeBufferPointer { GorillaXOR.encode($0, into: &bytes) }
            #expect(bytes.count == predicted)
            var decoded = [Double](repeating: 0, count: count)
            try bytes.withUnsafeBytes { raw in
                try decoded.withUnsafeMutableBufferPointer { try GorillaXOR.decode(raw, into: $0) }
            }
            #expect(decoded.map(\.bitPattern) == values.map(\.bitPattern))
        }
    }
}
