import Testing

@testable import TSDB

/// Seeded round trips of whole columns, compared bit for bit.
@Suite struct ColumnCodecRoundTripTests {
    static let sizes = [0, 1, 2, 3, 1023, 1024, 1025, 5000]

    static let timestampTables: [CodecCase<[Int64]>] = {
        var tables: [[Int64]] = [
            [], [0], [.min], [.max], [.min, .max], [.max, .min], [.max, .max, .max], [0, -1, -2, -3],
            [5, 5, 5, 5, 6], [.min, 0, .max, 0, .min], [1, 2, 4, 8, 16, 32, 64, 128],
        ]
        tables.append(Array(repeating: 7, count: 3000))
        tables.append((0..<3000).map { (i: Int) -> Int64 in Int64(i) * (Int64.max / 3000) })
        tables.append((0..<2000).map { (i: Int) -> Int64 in i % 2 == 0 ? .min : .max })
        return tables.map { CodecCase($0) }
    }()

    static let valueTables: [CodecCase<[Double]>] = {
        var tables: [[Double]] = CodecShape.specialValues.map { [$0] }
        tables.append(CodecShape.specialValues)
        tables += [[0.1 + 0.2, 0.3], [-0.0, 0.0], [123.45, 123.4, 123, 1e9]]
        tables.append([Double(bitPattern: 1), Double(bitPattern: 2), Double(bitPattern: 0x000F_0000_0000_0003)])
        tables.append(Array(repeating: .nan, count: 500))
        tables.append((0..<1500).map { (i: Int) -> Double in Double(i) / 1e9 })
        tables.append((0..<1500).map { (i: Int) -> Double in Double(i * 1_000_000) })
        tables.append((0..<1500).map { (i: Int) -> Double in i == 700 ? -0.0 : Double(i) })
        tables.append((0..<300).map { (i: Int) -> Double in Double(bitPattern: 0x7FF8_0000_0000_0000 | UInt64(i)) })
        return tables.map { CodecCase($0) }
    }()

    @Test(arguments: CodecShape.allCases)
    func roundTripsBitForBit(shape: CodecShape) throws {
        for seed in UInt64(0)..<200 {
            // Every seed covers the tiny sizes; the large ones rotate so the run stays short.
            for size in [0, 1, 2, 3, Self.sizes[4 + Int(seed % 4)]] {
                let (ts, vs) = shape.generate(count: size, seed: seed)
                try codecExpectRoundTrip(ts, vs, "\(shape) seed \(seed) size \(size)")
            }
        }
    }

    @Test(arguments: Self.timestampTables)
    func edgeTimestamps(_ table: CodecCase<[Int64]>) throws {
        let ts = table.value
        try codecExpectRoundTrip(ts, Array(repeating: 1, count: ts.count), "timestamps \(table)")
    }

    @Test(arguments: Self.valueTables)
    func edgeValues(_ table: CodecCase<[Double]>) throws {
        let vs = table.value
        try codecExpectRoundTrip((0..<vs.count).map { Int64($0) }, vs, "values \(table)")
    }

    @Test func picksTheExpectedEncodings() throws {
        let (regular, _) = CodecShape.constant.generate(count: 720, seed: 1)
        #expect(payloadTag(ColumnCodec.encodeTimestamps(regular)) == ColumnFormat.TimestampTag.constantDelta.rawValue)
        let (jittered, gauge) = CodecShape.regularGauge.generate(count: 720, seed: 1)
        #expect(payloadTag(ColumnCodec.encodeTimestamps(jittered)) == ColumnFormat.TimestampTag.packedDelta.rawValue)
        #expect(payloadTag(ColumnCodec.encodeValues(gauge)) == ColumnFormat.ValueTag.decimalDeltaPacked.rawValue)
        let (_, latency) = CodecShape.latency.generate(count: 5000, seed: 1)
        #expect(payloadTag(ColumnCodec.encodeValues(latency)) == ColumnFormat.ValueTag.decimalPacked.rawValue)
        #expect(payloadTag(ColumnCodec.encodeValues([42.5, 42.5])) == ColumnFormat.ValueTag.constant.rawValue)
        let (_, noise) = CodecShape.randomBits.generate(count: 1000, seed: 1)
        #expect(payloadTag(ColumnCodec.encodeValues(noise)) == ColumnFormat.ValueTag.raw.rawValue)
        let (_, nearlyConstant) = CodecShape.specials.generate(count: 1000, seed: 1)
        #expect(ColumnCodec.encodeValues(nearlyConstant).count < 8 * 1000)
        let thirds = (0..<1000).map { (i: Int) -> Double in Double(i / 100) / 3 }
        // k / 3 in floating point: a rational (k / 60 to 17 digits), its numerators' deltas pack tightly.
        #expect(payloadTag(ColumnCodec.encodeValues(thirds)) == ColumnFormat.ValueTag.rationalDeltaPacked.rawValue)
        let thirdsNoisy = (0..<1000).map { (i: Int) -> Double in Double(i / 100) / 3 + Double(i) * 1e-9 }
        #expect(payloadTag(ColumnCodec.encodeValues(thirdsNoisy)) == ColumnFormat.ValueTag.gorillaXOR.rawValue)
        // A periodic pattern packs to repeating bytes, which LZ4 then shrinks.
        let periodic = (0..<3000).map { (i: Int) -> Double in Double(i % 7) }
        let compressed = ColumnCodec.encodeValues(periodic)
        #expect(compressed.first == ColumnFormat.Compression.lz4.rawValue)
        #expect(
            [ColumnFormat.ValueTag.decimalPacked.rawValue, ColumnFormat.ValueTag.decimalDeltaPacked.rawValue]
                .contains(payloadTag(compressed)))
        try codecExpectRoundTrip((0..<3000).map { Int64($0) }, periodic, "periodic")
    }

    /// Pins the byte layout documented in docs/format/columns.md.
    @Test func documentedLayouts() throws {
        #expect(ColumnCodec.encodeTimestamps([Int64]()) == [0, 0x10])
        // first 1000 -> zig-zag 2000 = 0xD0 0x0F; delta 10 -> zig-zag 20.
        #expect(ColumnCodec.encodeTimestamps([1000, 1010, 1020]) == [0, 0x11, 0xD0, 0x0F, 20])
        #expect(ColumnCodec.encodeValues([Double]()) == [0, 0x20])
        #expect(ColumnCodec.encodeValues([1.5, 1.5]) == [0, 0x21, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F])
        // 1.25, 1.75, 1.5 -> e = 2, m = 125, 175, 150: one frame, reference 125 (zig-zag 250 = 0xFA 0x01),
        // width 6, no exceptions, offsets 0, 50, 25 packed LSB-first into bits 0-5, 6-11, 12-17.
        #expect(ColumnCodec.encodeValues([1.25, 1.75, 1.5]) == [0, 0x23, 2, 0xFA, 0x01, 6, 0, 0x80, 0x9C, 0x01])
        // 1.25, 1.5, 1.75 -> deltas of m: m0 = 125, then one frame of deltas 25, 25: reference 25
        // (zig-zag 50), width 0, no exceptions, no packed bytes.
        #expect(ColumnCodec.encodeValues([1.25, 1.5, 1.75]) == [0, 0x24, 2, 0xFA, 0x01, 50, 0, 0])
    }

    private func payloadTag(_ column: [UInt8]) -> UInt8? {
        guard column.first == 0 else { return column.first == 1 ? lz4PayloadTag(column) : nil }
        return column.count > 1 ? column[1] : nil
    }

    private func lz4PayloadTag(_ column: [UInt8]) -> UInt8? {
        column.withUnsafeBytes { raw -> UInt8? in
            var r = ByteReader(raw, offset: 1)
            guard let length = try? r.readUVarint(),
                let payload = try? LZ4.decompress(UnsafeRawBufferPointer(rebasing: raw[r.offset...]), originalSize: Int(length))
            else { return nil }
            return payload.first
        }
    }
}

/// Encodes both columns, decodes them and compares bit for bit.
func codecExpectRoundTrip(_ ts: [Int64], _ vs: [Double], _ what: String) throws {
    let tBytes = ColumnCodec.encodeTimestamps(ts)
    let decodedTs = try ColumnCodec.decodeTimestamps(tBytes, count: ts.count)
    #expect(decodedTs == ts, "\(what): timestamps")
    let vBytes = ColumnCodec.encodeValues(vs)
    let decodedVs = try ColumnCodec.decodeValues(vBytes, count: vs.count)
    #expect(decodedVs.map(\.bitPattern) == vs.map(\.bitPattern), "\(what): values")
}

/// A test argument with a short name, so large tables do not flood the test log.
struct CodecCase<T: Sendable>: Sendable, CustomTestStringConvertible {
    let value: T
    let testDescription: String

    init(_ value: T) where T: Collection {
        self.value = value
        testDescription = "\(value.count) values starting \(Array(value.prefix(3)))"
    }
}
