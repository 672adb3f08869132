import SeededRandom
import TSDB
import Testing

@testable import Query

/// SplitMix64, seeded (the shared test generator).
typealias PromQLTestRNG = SeededRandom

/// Random token soup and mutated valid queries never crash: they parse and evaluate, or throw
/// a `PromQLError` whose position lies inside the query.
@Suite struct PromQLFuzzTests {
    static let pieces = [
        "cpu_usage", "http_requests_total", "api_latency_ms", "(", ")", "{", "}", "[", "]", "5m", "1h30m", "1", "0.5", "-",
        "+", "*", "/", "%", "^", "==", "!=", "<", ">=", "bool", "by", "without", "(host)", "sum", "avg", "topk", "quantile",
        "rate", "increase", "irate", "avg_over_time", "quantile_over_time", "clamp", "round", "scalar", "vector", "time",
        ",", "\"a\"", "host", "=", "=~", "!~", "\"h.*\"", "offset", "-5m", "@", ":", "and", "or", "unless", " ", "Inf",
        "NaN", "1e3", "#", "\n", "'", "`", "\\", "$", "0x1F", ".", "é",
    ]

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func tokenSoup(seed: UInt64) {
        var rng = PromQLTestRNG(seed: seed)
        for _ in 0..<400 {
            let n = Int.random(in: 1...48, using: &rng)
            let query = (0..<n).map { _ in Self.pieces.randomElement(using: &rng) ?? "" }.joined()
            Self.check(query)
        }
    }

    @Test(arguments: [UInt64(11), 12])
    func mutatedQueries(seed: UInt64) {
        var rng = PromQLTestRNG(seed: seed)
        let valid = PromQLEvaluationTests.cases.map(\.0)
        for _ in 0..<400 {
            var scalars = Array((valid.randomElement(using: &rng) ?? "1").unicodeScalars)
            for _ in 0..<Int.random(in: 1...3, using: &rng) where !scalars.isEmpty {
                let i = Int.random(in: 0..<scalars.count, using: &rng)
                if Bool.random(using: &rng) {
                    scalars.remove(at: i)
                } else {
                    scalars.insert(Self.pieces.randomElement(using: &rng)?.unicodeScalars.first ?? "(", at: i)
                }
            }
            var s = String.UnicodeScalarView()
            s.append(contentsOf: scalars)
            Self.check(String(s))
        }
    }

    static func check(_ query: String) {
        let count = query.unicodeScalars.count
        do {
            _ = try PromQLFixture.engine.instant(query, at: PromQLFixture.minute(10))
            _ = try PromQLFixture.engine.range(query, start: PromQLFixture.minute(8), end: PromQLFixture.minute(12), step: 60_000)
        } catch {
            if let p = error.position { #expect(p >= 0 && p <= count, "\(query): \(error)") }
            #expect(!error.message.isEmpty)
        }
    }

    @Test func extremeTimesAreRefused() {
        #expect(throws: PromQLError(kind: .parse, message: "time \(Int64.min) out of range")) {
            _ = try PromQLFixture.engine.instant("cpu_usage offset 1y", at: .min)
        }
        #expect(throws: PromQLError(kind: .parse, message: "time \(Int64.max) out of range")) {
            _ = try PromQLFixture.engine.range("rate(cpu_usage[1y])", start: 0, end: .max, step: .max)
        }
        #expect(throws: PromQLError(kind: .parse, position: 4, message: "1:5: parse error: bad duration syntax: \"300000y\"")) {
            _ = try PromQLFixture.engine.instant("foo[300000y]", at: 0)
        }
    }
}
