import Foundation
import Testing

@testable import TSDB

/// The fast parser must accept exactly the lines Foundation's JSONSerialization parses into a
/// dictionary that satisfies the schema (EventReference), and give the same event.
///
/// Deliberate differences, excluded explicitly:
/// - duplicate keys: Foundation keeps the last, we reject (`duplicateField`);
/// - trailing commas (`[1,]`, `{"a":1,}`): Foundation accepts them, strict JSON does not;
/// - "-0": Foundation reads the integer 0 (sign lost), we give -0.0;
/// - long decimals: Foundation's NSDecimalNumber→Double is not correctly rounded, we are; the
///   reference re-reads its exact decimal text instead (within 1 ulp beyond 38 digits);
/// - tag numbers: we keep the literal text ("2.50"), Foundation has a number (compared by value);
/// - timestamps whose reference went through Double/Decimal approximations: within 1 ms.
struct EventParserDifferentialTests {
    struct Tally {
        var bothAccept = 0, bothReject = 0, excluded = 0
    }

    static func compare(_ bytes: [UInt8], _ parser: EventParser, _ tally: inout Tally) {
        let ours = bytes.withUnsafeBytes { buf in
            Result { () throws(EventParseError) -> MetricEvent in try parser.parse(buf) }
        }
        let reference = EventReference.parse(bytes)
        let shown = String(decoding: bytes, as: UTF8.self).debugDescription
        switch (ours, reference) {
        case (.failure, .rejected):
            tally.bothReject += 1
        case (.failure(let error), .accepted):
            if case .duplicateField = error {
                tally.excluded += 1
                return
            }
            if case .invalidJSON(_, let why) = error, why.hasSuffix("trailing comma") {
                tally.excluded += 1
                return
            }
            Issue.record("we reject what Foundation accepts: \(shown): \(error)")
        case (.success(let e), .rejected(let why)):
            Issue.record("we accept what the reference rejects (\(why)): \(shown) → \(e)")
        case (.success(let e), .accepted(let r)):
            if !sameTimestamp(e.timestamp, r.timestamp) {
                if case .exact = r.timestamp {
                    Issue.record("timestamp \(e.timestamp) vs \(r.timestamp): \(shown)")
                } else {
                    tally.excluded += 1
                    return
                }
            }
            #expect(e.labels.serviceName == r.service, "\(shown)")
            #expect(e.labels.metricType == r.type, "\(shown)")
            #expect(sameValue(e.value, r), "value \(e.value) vs \(r.value): \(shown)")
            var tags = e.labels.tags
            for (name, tag) in r.tags {
                switch tag {
                case .text(let s):
                    #expect(tags[name] == (s.isEmpty ? nil : s), "tag \(name): \(shown)")
                case .number(let d):
                    #expect(tags[name].flatMap { Double($0) } == d, "tag \(name): \(shown)")
                }
                tags[name] = nil
            }
            #expect(tags.isEmpty, "extra tags \(tags): \(shown)")
            tally.bothAccept += 1
        }
    }

    static func sameTimestamp(_ ours: Int64, _ ref: EventReference.Timestamp) -> Bool {
        switch ref {
        case .exact(let t): ours == t
        case .approximate(let t): abs(ours - t) <= 1
        case .unknown: true
        }
    }

    static func sameValue(_ ours: Double, _ r: EventReference.Event) -> Bool {
        if ours.bitPattern == r.value.bitPattern { return true }
        if ours.isNaN && r.value.isNaN { return true }
        if r.valueIsIntegerZero { return ours == 0 }
        if r.valueIsLongDecimal {
            let a = Int64(bitPattern: ours.bitPattern)
            let b = Int64(bitPattern: r.value.bitPattern)
            return ours.sign == r.value.sign && abs(a - b) <= 1
        }
        return false
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func generatedValidLines(seed: UInt64) {
        var gen = EventLineGenerator(rng: EventsTestRNG(seed: seed))
        let parser = EventParser(labelCacheLimit: 64)
        var tally = Tally()
        for _ in 0..<1500 { Self.compare(Array(gen.line().utf8), parser, &tally) }
        #expect(tally.bothAccept > 1000, "\(tally)")
        #expect(tally.excluded < 30, "\(tally)")
    }

    @Test(arguments: [11, 12, 13] as [UInt64])
    func mutatedLines(seed: UInt64) {
        var gen = EventLineGenerator(rng: EventsTestRNG(seed: seed))
        let parser = EventParser(labelCacheLimit: 64)
        var tally = Tally()
        for _ in 0..<3000 {
            let line = Array(gen.line().utf8)
            let mutated = gen.mutate(line)
            Self.compare(mutated, parser, &tally)
            Self.compare(mutated, parser, &tally)  // again, now possibly through the label cache
        }
        #expect(tally.bothAccept > 500 && tally.bothReject > 2000, "\(tally)")
        #expect(tally.excluded < 100, "\(tally)")
    }

    @Test func randomBytesNeverCrashAndAgree() {
        var rng = EventsTestRNG(seed: 99)
        let alphabet = Array("{}[]\",:\\ 0123456789-.eEtrufalsn".utf8)
        let parser = EventParser(labelCacheLimit: 8)
        var tally = Tally()
        for _ in 0..<5000 {
            let n = rng.int(0..<64)
            let bytes = (0..<n).map { _ in rng.chance(0.7) ? rng.pick(alphabet) : UInt8.random(in: 0...255, using: &rng) }
            Self.compare(bytes, parser, &tally)
        }
        // Every prefix of valid lines (truncated input) is handled too.
        var gen = EventLineGenerator(rng: EventsTestRNG(seed: 100))
        for _ in 0..<40 {
            let line = Array(gen.line().utf8)
            for cut in 0..<line.count { Self.compare(Array(line[..<cut]), parser, &tally) }
        }
    }
}
