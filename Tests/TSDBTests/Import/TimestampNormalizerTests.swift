import Foundation
import Testing

@testable import TSDB

struct TimestampNormalizerTests {
    @Test(
        arguments: [
            ("1764420000", 1_764_420_000_000), ("1764420000.123", 1_764_420_000_123), ("1764420000.1239", 1_764_420_000_123),
            ("1764420000123", 1_764_420_000_123), ("1764420000123999", 1_764_420_000_123), ("1764420000123999999", 1_764_420_000_123),
            ("-0.0005", -1), ("-0.001", -1), ("-0.0010001", -2), ("0.0005", 0), ("-1e-30", -1), ("1e-30", 0),
            ("99999999999.9999", 99_999_999_999_999), ("1e11", 100_000_000_000), ("1.5e3", 1_500_000),
            ("-9223372036854775807999999", .min), ("-9223372036854775808000000", .min),
            ("9223372036854775807999999", 9_223_372_036_854_775_807),
        ] as [(String, Int64)])
    func digits(_ text: String, _ ms: Int64) {
        #expect(TimestampNormalizer.milliseconds(fromDigits: text) == ms, "\(text)")
    }

    @Test func outOfRangeOrMalformedDigits() {
        for text in ["9223372036854775808000000", "-9223372036854775808000001", "1e25", "1e400", "", "+1", "01", "1.", "abc", "1 "] {
            #expect(TimestampNormalizer.milliseconds(fromDigits: text) == nil, "\(text)")
        }
        #expect(TimestampNormalizer.milliseconds(fromNumber: .nan) == nil)
        #expect(TimestampNormalizer.milliseconds(fromNumber: 1_764_420_000.123) == 1_764_420_000_123)
        #expect(TimestampNormalizer.milliseconds(fromNumber: 1_764_420_000_123) == 1_764_420_000_123)
    }

    /// Integer timestamps of each unit against plain integer arithmetic (floor division).
    @Test func integerUnitsMatchFloorDivision() {
        var rng = EventsTestRNG(seed: 7)
        for _ in 0..<20000 {
            let v = Int64(bitPattern: rng.next()) >> rng.int(0..<63)
            let m = v.magnitude
            let expected: Int64
            func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-(a + 1)) / b) - 1 }
            if m < 100_000_000_000 {
                let (p, o) = v.multipliedReportingOverflow(by: 1000)
                expected = o ? 0 : p
            } else if m < 100_000_000_000_000 {
                expected = v
            } else if m < 100_000_000_000_000_000 {
                expected = floorDiv(v, 1000)
            } else {
                expected = floorDiv(v, 1_000_000)
            }
            #expect(TimestampNormalizer.milliseconds(fromDigits: String(v)) == expected, "\(v)")
        }
    }

    /// RFC 3339 against Foundation's ISO8601DateFormatter over random instants and offsets.
    @Test func rfc3339MatchesFoundation() {
        var rng = EventsTestRNG(seed: 8)
        let formatter = ISO8601DateFormatter()
        for _ in 0..<2000 {
            let seconds = rng.int(-2_000_000_000..<4_000_000_000)
            let offset = rng.int(-14 * 4..<14 * 4) * 15 * 60
            formatter.timeZone = TimeZone(secondsFromGMT: offset)
            var text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            let millis = rng.int(0..<1000)
            let fraction = String(format: ".%03d%@", millis, rng.chance(0.5) ? "456" : "")
            text.insert(contentsOf: fraction, at: text.index(text.startIndex, offsetBy: 19))  // after the seconds
            #expect(TimestampNormalizer.milliseconds(rfc3339: text) == Int64(seconds) * 1000 + Int64(millis), "\(text)")
        }
    }

    @Test(
        arguments: [
            ("2025-11-29T12:00:00Z", 1_764_417_600_000 as Int64?), ("2025-11-29t12:00:00.5z", 1_764_417_600_500),
            ("2025-11-29 12:00:00+00:00", 1_764_417_600_000), ("0000-01-01T00:00:00Z", -62_167_219_200_000),
            ("9999-12-31T23:59:59.999Z", 253_402_300_799_999), ("2000-02-29T00:00:00-00:00", 951_782_400_000),
            ("1900-02-29T00:00:00Z", nil), ("2025-11-29T12:00:00.Z", nil), ("2025-11-29T12:00:00", nil),
            ("2025-11-29T12:00:00+01", nil), ("2025-1-29T12:00:00Z", nil), ("２025-11-29T12:00:00Z", nil),
        ] as [(String, Int64?)])
    func rfc3339Table(_ text: String, _ ms: Int64?) {
        #expect(TimestampNormalizer.milliseconds(rfc3339: text) == ms, "\(text)")
    }
}
