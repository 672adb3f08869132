import Foundation
import Testing

@testable import TSDB

/// Rates printed with a fixed number of significant digits (k / d to P digits) round-trip bit
/// for bit through the rational encoding and cost about as much as their counts.
@Suite struct RationalCodecTests {
    /// The reference: what a producer prints with `%.{P}g` and a consumer parses back.
    static func printed(_ k: Int64, _ d: Int64, _ p: Int) -> Double {
        Double(String(format: "%.\(p)g", Double(k) / Double(d)))!
    }

    @Test(arguments: [(60, 15), (3600, 15), (300, 17), (60, 12)] as [(Int64, Int)])
    func ratesRoundTripExactlyAndPackSmall(denominator: Int64, digits: Int) throws {
        var rng = CodecTestRNG(seed: UInt64(denominator) &* 31 &+ UInt64(digits))
        var k: Int64 = 100_000_000
        var vs: [Double] = []
        for _ in 0..<2000 {
            k = max(0, k + Int64(rng.int(-3_000_000...3_000_000)))
            vs.append(Self.printed(k, denominator, digits))
        }
        // The reference agrees with the decoder's arithmetic wherever both apply.
        var scanned: (denominator: Int64, digits: Int, numerators: [Int64])?
        vs.withUnsafeBufferPointer { scanned = RationalScan.scan($0) }
        let s = try #require(scanned, "no rational form found")
        for (i, n) in s.numerators.enumerated() {
            #expect(RationalScan.value(n, denominator: s.denominator, digits: s.digits)?.bitPattern == vs[i].bitPattern)
        }
        let column = ColumnCodec.encodeValues(vs)
        let back = try column.withUnsafeBytes { (raw) throws(DecodeError) in try ColumnCodec.decodeValues(raw, count: vs.count) }
        #expect(back.map(\.bitPattern) == vs.map(\.bitPattern))
        #expect(column.count < vs.count * 4, "\(column.count) bytes for \(vs.count) rates (XOR takes ~7 a value)")
    }

    @Test func valueMatchesPrintfOnRandomRationals() {
        var rng = CodecTestRNG(seed: 0x5A71)
        for _ in 0..<20_000 {
            let d = RationalScan.denominators[rng.int(0...RationalScan.denominators.count - 1)]
            let p = rng.int(6...17)
            let k = Int64(rng.int(-2_000_000_000_000...2_000_000_000_000)) >> rng.int(0...40)
            guard let v = RationalScan.value(k, denominator: d, digits: p) else { continue }
            let reference = Self.printed(k, d, p)
            #expect(v.bitPattern == reference.bitPattern, "k \(k) d \(d) p \(p): \(v) vs \(reference)")
        }
    }

    @Test func valuesOfNoSuchFormAreLeftToTheOtherEncodings() {
        for vs in [[0.1 + 0.2, 1.0 / 3.0, .pi], [-0.0, 1], [.nan, 1], [.infinity, 2], [1e300, 1], [0, 0]] as [[Double]] {
            vs.withUnsafeBufferPointer { #expect(RationalScan.scan($0) == nil || $0.allSatisfy { $0 == 0 } == false) }
            let column = ColumnCodec.encodeValues(vs)
            let back = try? column.withUnsafeBytes { (raw) throws(DecodeError) in try ColumnCodec.decodeValues(raw, count: vs.count) }
            #expect(back?.map(\.bitPattern) == vs.map(\.bitPattern))
        }
        #expect(RationalScan.value(1, denominator: 0, digits: 15) == nil)
        #expect(RationalScan.value(Int64.max, denominator: 60, digits: 15) == nil)
        #expect(RationalScan.value(1, denominator: 60, digits: 18) == nil)
    }
}
