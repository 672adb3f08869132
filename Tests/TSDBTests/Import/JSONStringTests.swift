import Testing

@testable import TSDB

/// String scanning and decoding against Swift's own UTF-8 validation and JSON escapes.
struct JSONStringTests {
    /// Scans `"` + content + `"`; returns the decoded bytes or nil when rejected.
    static func scan(_ content: [UInt8]) -> [UInt8]? {
        let bytes = [0x22] + content + [0x22]
        return bytes.withUnsafeBufferPointer { buf -> [UInt8]? in
            guard let base = buf.baseAddress else { return nil }
            var c = JSONCursor(base, count: buf.count)
            guard let span = try? c.scanString(), c.pos == buf.count else { return nil }
            var out: [UInt8] = []
            c.decode(span, into: &out)
            return out
        }
    }

    /// Every lead byte and second byte, with continuation / non-continuation third and fourth bytes.
    @Test func utf8ValidationMatchesSwift() {
        let tails: [UInt8] = [0x80, 0xBF, 0x41]
        var mismatches: [[UInt8]] = []
        for b0 in UInt8(0x20)...0xFF where b0 != 0x22 && b0 != 0x5C {
            for b1 in UInt8(0x20)...0xFF where b1 != 0x22 && b1 != 0x5C {
                for b2 in tails {
                    for b3 in tails {
                        let s = [b0, b1, b2, b3]
                        let valid = String(validating: s, as: UTF8.self) != nil
                        if (Self.scan(s) != nil) != valid { mismatches.append(s) }
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    @Test func escapesDecodeLikeSwiftStrings() {
        var gen = EventLineGenerator(rng: EventsTestRNG(seed: 21))
        for _ in 0..<3000 {
            let text = gen.text(nonEmpty: false)
            let literal = gen.quoted(text)
            let decoded = Self.scan(Array(literal.utf8.dropFirst().dropLast()))
            #expect(decoded == Array(text.utf8), "\(literal)")
        }
        // Surrogate pairs in every case of hex digits; lone halves rejected.
        #expect(Self.scan(Array(#"\uD83D\uDE00"#.utf8)) == Array("😀".utf8))
        #expect(Self.scan(Array(#"\ud83d\ude00x"#.utf8)) == Array("😀x".utf8))
        for bad in [#"\uD83D"#, #"\uDE00"#, #"\uD83Dx"#, #"\uD83D\u0041"#, #"\uD83D\uD83D"#, #"\u12"#, #"\u"#, #"\"#, #"\U0041"#] {
            #expect(Self.scan(Array(bad.utf8)) == nil, "\(bad)")
        }
        for control in UInt8(0)..<0x20 { #expect(Self.scan([0x61, control]) == nil) }
        #expect(Self.scan([0x7F]) == [0x7F])
    }
}
