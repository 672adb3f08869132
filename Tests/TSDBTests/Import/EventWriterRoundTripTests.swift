import Testing

@testable import TSDB

/// Writer → parser gives back the identical event: bitwise value, same labels, same ms.
struct EventWriterRoundTripTests {
    static func randomText(_ rng: inout EventsTestRNG) -> String {
        var gen = EventLineGenerator(rng: rng)
        let s = gen.text()
        rng = gen.rng
        return s
    }

    static func randomValue(_ rng: inout EventsTestRNG) -> Double {
        switch rng.int(0..<8) {
        case 0:
            return rng.pick([
                0.0, -0.0, .nan, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNormalMagnitude,
                .greatestFiniteMagnitude, 0.1, 1e22, 1e23, 9_007_199_254_740_992.0.nextUp, 123.4,
            ])
        case 1: return Double(bitPattern: rng.next() & 0x800F_FFFF_FFFF_FFFF)  // subnormal
        case 2: return Double(rng.int(-1_000_000..<1_000_000))
        case 3: return Double(rng.int(-100_000..<100_000)) / 10
        default:
            let d = Double(bitPattern: rng.next())
            return d.isNaN ? .nan : d
        }
    }

    static func randomTimestamp(_ rng: inout EventsTestRNG) -> Int64 {
        switch rng.int(0..<4) {
        case 0:
            return rng.pick([
                0, -1, 1, 999, -1000, 99_999_999_999, 100_000_000_000, 99_999_999_999_999,
                100_000_000_000_000, .max, .min, .min + 1, 1_764_420_000_123,
            ])
        case 1: return Int64(bitPattern: rng.next())
        case 2: return Int64(rng.int(-100_000_000_000..<100_000_000_000))
        default: return Int64(rng.int(1_500_000_000_000..<1_900_000_000_000))
        }
    }

    static func randomEvent(_ rng: inout EventsTestRNG) -> MetricEvent {
        var tags: [String: String] = [:]
        for _ in 0..<rng.int(0..<5) {
            let name = randomText(&rng)
            if name != Labels.service && name != Labels.metricName { tags[name] = randomText(&rng) }
        }
        let labels = Labels(type: randomText(&rng), service: randomText(&rng), tags: tags)
        return MetricEvent(labels: labels, timestamp: randomTimestamp(&rng), value: randomValue(&rng))
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func randomEventsRoundTrip(seed: UInt64) throws {
        var rng = EventsTestRNG(seed: seed)
        let parser = EventParser()
        var out: [UInt8] = []
        for _ in 0..<1500 {
            let event = Self.randomEvent(&rng)
            out.removeAll(keepingCapacity: true)
            EventWriter.appendLine(event, to: &out)
            #expect(out.last == 0x0A)
            #expect(out.dropLast().allSatisfy { $0 != 0x0A }, "one line per event")
            let back = try out.dropLast().withUnsafeBytes { buf throws(EventParseError) in try parser.parse(buf) }
            #expect(back == event, "\(String(decoding: out, as: UTF8.self))")
        }
    }

    @Test func writesTheDocumentedShape() {
        let e = MetricEvent(
            labels: Labels(
                type: "api_latency_ms", service: "recommendation-api",
                tags: ["status": "200", "endpoint": "/recommend"]),
            timestamp: 1_764_420_000_123, value: 123.4)
        var out: [UInt8] = []
        EventWriter.appendLine(e, to: &out)
        #expect(
            String(decoding: out, as: UTF8.self)
                == #"{"service":"recommendation-api","type":"api_latency_ms","value":123.4,"timestamp":1764420000123,"tags":{"endpoint":"/recommend","status":"200"}}"#
                + "\n")
        out.removeAll()
        EventWriter.appendLine(MetricEvent(labels: Labels(type: "t\"\u{1}", service: "s\\"), timestamp: 5, value: -.infinity), to: &out)
        #expect(String(decoding: out, as: UTF8.self) == #"{"service":"s\\","type":"t\"\u0001","value":"-Inf","timestamp":0.005}"# + "\n")
        out.removeAll()
        EventWriter.appendLine(MetricEvent(labels: Labels(type: "t", service: "s"), timestamp: 100_000_000_000_000, value: 5), to: &out)
        #expect(String(decoding: out, as: UTF8.self) == #"{"service":"s","type":"t","value":5,"timestamp":100000000000000000000}"# + "\n")
    }

    @Test func nanPayloadsBecomeTheCanonicalNaN() throws {
        let odd = Double(bitPattern: 0x7FF0_0000_0000_0002)  // Prometheus' stale marker
        var out: [UInt8] = []
        EventWriter.appendLine(MetricEvent(labels: Labels(type: "t", service: "s"), timestamp: 1, value: odd), to: &out)
        let back = try EventParser().parse(String(decoding: out.dropLast(), as: UTF8.self))
        #expect(back.value.bitPattern == Double.nan.bitPattern)
    }
}
