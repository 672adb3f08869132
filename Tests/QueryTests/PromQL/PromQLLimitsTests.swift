import TSDB
import Testing

@testable import Query

/// Issue 11, item 2: hostile nesting and length get a clear parse error instead of a stack
/// overflow; queries within the limits still parse and evaluate.
@Suite struct PromQLLimitsTests {
    static func parseError(_ query: String) -> PromQLError? {
        do {
            _ = try PromQLFixture.engine.instant(query, at: PromQLFixture.minute(10))
            return nil
        } catch {
            return error
        }
    }

    static let hostile: [(String, String)] = [
        ("100,000 parentheses", String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)),
        ("unclosed parentheses", String(repeating: "(", count: 100_000)),
        ("a long left chain", (0..<60_000).map { _ in "1" }.joined(separator: "+")),
        ("a long power chain", (0..<60_000).map { _ in "1" }.joined(separator: "^")),
        ("unary minus", String(repeating: "-", count: 100_000) + "1"),
        ("nested calls", String(repeating: "abs(", count: 20_000) + "1" + String(repeating: ")", count: 20_000)),
        ("nested aggregations", String(repeating: "sum(", count: 20_000) + "up" + String(repeating: ")", count: 20_000)),
    ]

    @Test(arguments: 0..<hostile.count)
    func hostileNestingIsAParseError(index: Int) throws {
        let (name, query) = Self.hostile[index]
        let error = try #require(Self.parseError(query), "\(name) was accepted")
        #expect(error.kind == .parse, "\(name): \(error)")
        #expect(error.message.contains("nests deeper") || error.message.contains("limit"), "\(name): \(error.message)")
    }

    @Test func tooLongIsAParseError() throws {
        let query = "up{a=\"" + String(repeating: "x", count: InputLimits.maxQueryBytes) + "\"}"
        let error = try #require(Self.parseError(query))
        #expect(error.message.contains("\(InputLimits.maxQueryBytes)"))
    }

    /// Just inside the limit: deep but legitimate expressions still answer.
    @Test func nestingWithinTheLimitEvaluates() throws {
        let depth = InputLimits.maxQueryDepth / 2 - 2
        let parens = String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        let chain = (0..<(InputLimits.maxQueryDepth - 2)).map { _ in "1" }.joined(separator: "+")
        for (query, expected) in [(parens, 1.0), (chain, Double(InputLimits.maxQueryDepth - 2))] {
            let (value, _) = try PromQLFixture.engine.instant(query, at: PromQLFixture.minute(10))
            guard case .scalar(_, let v) = value else {
                Issue.record("\(query.prefix(20))...: \(value)")
                continue
            }
            #expect(v == expected)
        }
    }
}
