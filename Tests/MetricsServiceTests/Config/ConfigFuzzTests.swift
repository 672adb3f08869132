import Testing

@testable import MetricsService

/// Random, truncated and mutated YAML must be refused with a `ConfigError`, never trap.
@Suite struct ConfigFuzzTests {
    static func parseNeverTraps(_ text: String) -> Bool {
        do {
            _ = try ServiceFileConfig.parse(text, source: "fuzz")
            return true
        } catch {
            return error.reason.isEmpty == false
        }
    }

    @Test func randomBytes() {
        var rng = ConfigTestRNG(seed: 1)
        let alphabet = Array("abc:-[]{}#&*!|>'\"\n  \t0123456789.?,%@`".utf8)
        for _ in 0..<1_000 {
            let n = Int.random(in: 0..<200, using: &rng)
            let bytes: [UInt8] =
                Bool.random(using: &rng)
                ? (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
                : (0..<n).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
            #expect(Self.parseNeverTraps(String(decoding: bytes, as: UTF8.self)))
        }
    }

    @Test func truncationsAndMutationsOfTheDefault() {
        var rng = ConfigTestRNG(seed: 2)
        let base = Array(ServiceFileConfig.defaultYAML.utf8)
        for _ in 0..<400 {
            let cut = Int.random(in: 0...base.count, using: &rng)
            #expect(Self.parseNeverTraps(String(decoding: base[..<cut], as: UTF8.self)))
            var mutated = base
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                mutated[Int.random(in: 0..<mutated.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            #expect(Self.parseNeverTraps(String(decoding: mutated, as: UTF8.self)))
        }
    }

    @Test func deepNestingIsRefused() {
        for text in [
            String(repeating: "[", count: 100_000), String(repeating: "{a: ", count: 50_000),
            String(repeating: "- ", count: 50_000) + "x",
            (0..<5_000).map { String(repeating: " ", count: $0) + "a:" }.joined(separator: "\n"),
        ] {
            #expect(throws: ConfigError.self) { try ServiceFileConfig.parse(text, source: "deep") }
        }
    }

    @Test func aliasesStayLinear() throws {
        // A "billion laughs" document: composing it stays cheap (aliases share the node) and it is refused.
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1..<20 { yaml += "a\(i): &a\(i) [*a\(i - 1), *a\(i - 1), *a\(i - 1), *a\(i - 1), *a\(i - 1), *a\(i - 1)]\n" }
        yaml += "quality:\n  expected_services: *a19\n"
        #expect(throws: ConfigError.self) { try ServiceFileConfig.parse(yaml, source: "laughs") }
        let ok = try ServiceFileConfig.parse("quality:\n  expected_services: &s [a, b]\nkafka: {}\n", source: "x")
        #expect(ok.expectedServices == ["a", "b"])
    }
}
