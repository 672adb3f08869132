import Testing

@testable import TSDB

/// The number path (fast path + strtod) against Swift's correctly rounded Double(String).
struct JSONNumberTests {
    static func parse(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buf -> Double? in
            guard let base = buf.baseAddress else { return nil }
            var c = JSONCursor(base, count: buf.count)
            guard let n = try? c.scanNumber(), c.pos == buf.count else { return nil }
            return n.doubleValue(base)
        }
    }

    @Test func randomDecimalsMatchSwift() {
        var rng = EventsTestRNG(seed: 5)
        for _ in 0..<30000 {
            var text = rng.chance(0.3) ? "-" : ""
            let intDigits = rng.int(1..<22)
            text += String(rng.int(1..<10))
            for _ in 1..<intDigits { text += String(rng.int(0..<10)) }
            if rng.chance(0.6) {
                text += "."
                for _ in 0..<rng.int(1..<25) { text += String(rng.int(0..<10)) }
            }
            if rng.chance(0.5) { text += "e" + rng.pick(["", "+", "-"]) + String(rng.int(0..<330)) }
            guard let expected = Double(text) else { continue }
            #expect(Self.parse(text)?.bitPattern == expected.bitPattern, "\(text)")
        }
    }

    @Test func shortestFormsOfRandomDoublesReadBack() {
        var rng = EventsTestRNG(seed: 6)
        for _ in 0..<30000 {
            let d = Double(bitPattern: rng.next())
            guard d.isFinite else { continue }
            #expect(Self.parse(d.description)?.bitPattern == d.bitPattern, "\(d)")
        }
    }

    @Test func hardCases() {
        for text in [
            "0.1", "0.3", "9007199254740993", "9007199254740992", "2.2250738585072011e-308", "2.2250738585072012e-308",
            "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "1.7976931348623157e308",
            "1.7976931348623158e308", "123456789012345678901234567890", "0.000000000000000000000000001",
            "1e22", "1e23", "-0", "-0.0", "0e-999999999", "100000000000000000000000e-5",
        ] {
            #expect(Self.parse(text)?.bitPattern == Double(text)?.bitPattern, "\(text)")
        }
    }
}
