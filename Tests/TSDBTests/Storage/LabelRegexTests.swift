import Foundation
import Testing

@testable import TSDB

/// Issue 11, item 5: label regexes follow Prometheus (RE2, fully anchored, `.` matches
/// newlines) and run in linear time, so no pattern can stall a query or an append.
@Suite struct LabelRegexTests {
    static func matcher(_ op: LabelMatcher.Op, _ pattern: String) throws -> LabelMatcher { try LabelMatcher("host", op, pattern) }

    static let cases: [(pattern: String, value: String?, matches: Bool)] = [
        ("a", "a", true), ("a", "ab", false), ("a", "ba", false),  // anchored at both ends
        ("a|b", "b", true), ("a|b", "ab", false), ("a|", "", true), ("a|", nil, true),
        ("api-.*", "api-1", true), ("api-.*", "web-1", false), (".*", nil, true), (".+", nil, false), (".+", "x", true),
        ("a.b", "a\nb", true),  // Prometheus 3: `.` matches newlines
        ("(?i)WEB", "web", true), ("\\d+", "123", true), ("\\d+", "12a", false), ("[a-c]{2}", "bc", true),
        ("x\\.y", "x.y", true), ("x\\.y", "xzy", false), ("é+", "éé", true), ("\\p{Greek}+", "αβ", true),
        ("", "", true), ("", "a", false), ("", nil, true),
    ]

    @Test(arguments: 0..<cases.count)
    func matchesAsPrometheusDoes(index: Int) throws {
        let (pattern, value, expected) = Self.cases[index]
        #expect(try Self.matcher(.regexMatch, pattern).matches(value) == expected, "\(pattern) vs \(value ?? "nil")")
        #expect(try Self.matcher(.regexNoMatch, pattern).matches(value) == !expected)
    }

    @Test func badPatternsAreClearErrors() {
        for pattern in ["(", "a{2,1}", "[z-a]", "(?<name", "a**"] {
            #expect(throws: StoreError.self) { try Self.matcher(.regexMatch, pattern) }
        }
        do {
            _ = try Self.matcher(.regexMatch, "(")
        } catch {
            #expect("\(error)".contains("missing )") || "\(error)".contains("missing"), "\(error)")
        }
    }

    /// `(a+)+b` against a long run of `a`: exponential for a backtracking engine (the old code
    /// took ~10 s on 18 characters), linear here. The selection below would never finish before.
    @Test func catastrophicPatternsRunInLinearTime() throws {
        let dir = TempDirectory()
        let store = try Store(directory: dir.store)
        var batch = WriteBatch()
        for i in 0..<200 { batch.append(labels("cpu", "svc", ["host": String(repeating: "a", count: 30 + i)]), 1000, 1) }
        batch.append(labels("cpu", "svc", ["host": "aaab"]), 1000, 1)
        _ = try store.append(batch)
        let got = store.select([.equal("__name__", "cpu"), try Self.matcher(.regexMatch, "(a+)+b")])
        #expect(got.map { $0.labels["host"] } == ["aaab"])
        let long = String(repeating: "a", count: 100_000)
        #expect(try !Self.matcher(.regexMatch, "(a*)*b").matches(long))
    }

    /// Selection through postings and verdicts agrees with matching every series directly.
    @Test func selectionAgreesWithBruteForce() throws {
        let dir = TempDirectory()
        let store = try Store(directory: dir.store)
        var batch = WriteBatch()
        var all: [Labels] = []
        for i in 0..<60 {
            var tags = ["env": i % 3 == 0 ? "prod" : "dev"]
            if i % 4 != 0 { tags["host"] = "h\(i % 10)" }
            let l = labels("cpu", "svc\(i % 5)", tags)
            all.append(l)
            batch.append(l, 1000, 1)
        }
        _ = try store.append(batch)
        let matcherSets: [[LabelMatcher]] = [
            [try Self.matcher(.regexMatch, "h1|h2|h3")],
            [try Self.matcher(.regexMatch, "h[0-4]"), .equal("env", "prod")],
            [try Self.matcher(.regexNoMatch, "h[0-4]")],
            [try Self.matcher(.regexMatch, "h1|")],
            [try Self.matcher(.regexMatch, ".*"), try LabelMatcher("service", .regexNoMatch, "svc[12]")],
            [try Self.matcher(.regexMatch, ".+"), try LabelMatcher("env", .notEqual, "dev")],
        ]
        for ms in matcherSets {
            let expected = Set(all.filter { l in ms.allSatisfy { $0.matches(l[$0.name]) } })
            #expect(Set(store.select(ms).map(\.labels)) == expected, "\(ms)")
        }
    }
}
