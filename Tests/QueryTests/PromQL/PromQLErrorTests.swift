import TSDB
import Testing

@testable import Query

/// Invalid and unsupported queries: exact messages with Prometheus-style positions.
@Suite struct PromQLErrorTests {
    static let invalid: [(String, String)] = [
        ("", "1:1: parse error: no expression found in input"),
        ("1 +", "1:4: parse error: unexpected end of input"),
        ("1 2", "1:3: parse error: unexpected number \"2\""),
        ("foo{", "1:5: parse error: unexpected end of input inside braces"),
        ("(1", "1:3: parse error: unclosed left parenthesis"),
        ("1)", "1:2: parse error: unexpected right parenthesis ')'"),
        ("foo +\n  )", "2:3: parse error: unexpected right parenthesis ')'"),
        ("()", "1:2: parse error: unexpected right parenthesis ')'"),
        ("foo $", "1:5: parse error: unexpected character: '$'"),
        ("'abc", "1:1: parse error: unterminated quoted string"),
        ("\"a\\q\"", "1:3: parse error: unknown escape sequence '\\q'"),
        ("1a", "1:1: parse error: bad number or duration syntax: \"1a\""),
        ("foo[5mm]", "1:5: parse error: bad duration syntax: \"5mm\""),
        ("foo[1m1h]", "1:5: parse error: bad duration syntax: \"1m1h\""),
        ("foo[5m", "1:7: parse error: unclosed left bracket"),
        ("foo[5]", "1:5: parse error: unexpected number \"5\" in range, expected duration"),
        ("foo[0s]", "1:4: parse error: range must be greater than 0"),
        ("(foo)[5m]", "1:6: parse error: ranges only allowed for vector selectors"),
        ("{}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ("{a=\"\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ("foo{a>\"b\"}", "1:6: parse error: unexpected <op:>> in label matching, expected label matching operator"),
        ("foo{a=b}", "1:7: parse error: unexpected identifier \"b\" in label matching, expected string"),
        ("foo{a=\"b\" c=\"d\"}", "1:11: parse error: unexpected identifier \"c\" in label matching, expected \",\" or \"}\""),
        ("foo{a=~\"(\"}", "1:8: parse error: error parsing regexp: invalid regular expression \"(\""),
        ("foo{__name__=\"bar\"}", "1:5: parse error: metric name must not be set twice: \"foo\" or \"bar\""),
        ("foo offset 5m offset 1m", "1:15: parse error: offset may not be set multiple times"),
        (
            "1 offset 5m",
            "1:3: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery"
        ),
        ("foo offset x", "1:12: parse error: unexpected identifier \"x\" in offset, expected duration"),
        ("1 == 1", "1:3: parse error: comparisons between scalars must use BOOL modifier"),
        ("foo + bool 1", "1:7: parse error: bool modifier can only be used on comparison operators"),
        ("\"a\" + 1", "1:5: parse error: binary expression must contain only scalar and instant vector types"),
        ("foo[5m] * 2", "1:9: parse error: binary expression must contain only scalar and instant vector types"),
        (
            "-foo[5m]",
            "1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got \"range vector\""
        ),
        ("foo(1)", "1:1: parse error: unknown function with name \"foo\""),
        ("rate(foo)", "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector"),
        ("abs(foo[5m])", "1:5: parse error: expected type instant vector in call to function \"abs\", got range vector"),
        ("abs()", "1:1: parse error: expected 1 argument(s) in call to \"abs\", got 0"),
        ("round(foo, 1, 2)", "1:1: parse error: expected at most 2 argument(s) in call to \"round\", got 3"),
        ("clamp(foo)", "1:1: parse error: expected 3 argument(s) in call to \"clamp\", got 1"),
        ("rate(foo[5m]", "1:13: parse error: unclosed left parenthesis"),
        ("sum(foo[5m])", "1:5: parse error: expected type instant vector in aggregation expression, got range vector"),
        ("topk(foo)", "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1"),
        ("sum(foo, bar)", "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, got 2"),
        ("topk(foo, bar)", "1:6: parse error: expected type scalar in aggregation parameter, got instant vector"),
        ("sum by foo (x)", "1:8: parse error: unexpected identifier \"foo\" in grouping opts, expected \"(\""),
        ("sum by (1) (x)", "1:9: parse error: unexpected number \"1\" in grouping opts, expected label"),
        ("sum foo", "1:5: parse error: unexpected identifier \"foo\" in aggregation, expected \"(\""),
        ("by", "1:1: parse error: unexpected <by>"),
        ("foo = 1", "1:5: parse error: unexpected <op:=>"),
        ("foo and 1", "1:5: parse error: set operator \"and\" not allowed in binary scalar expression"),
        ("foo or bool bar", "1:8: parse error: bool modifier can only be used on comparison operators"),
    ]

    @Test(arguments: invalid)
    func invalidQuery(_ query: String, _ message: String) {
        #expect(throws: PromQLError(kind: .parse, position: Self.position(message, in: query), message: message)) {
            _ = try PromQLFixture.engine.instant(query, at: 0)
        }
    }

    static let unsupported: [(String, String)] = [
        ("foo atan2 bar", "1:5: unsupported: binary operator \"atan2\""),
        ("foo[5m:1m]", "1:4: unsupported: subquery"),
        ("max_over_time(rate(foo[1m])[5m:])", "1:28: unsupported: subquery"),
        ("foo @ 100", "1:5: unsupported: @ modifier"),
        ("foo + on(a) bar", "1:7: unsupported: vector matching modifier \"on\""),
        ("foo / ignoring(a) bar", "1:7: unsupported: vector matching modifier \"ignoring\""),
        ("foo * group_left bar", "1:7: unsupported: vector matching modifier \"group_left\""),
        ("histogram_quantile(0.9, foo)", "1:1: unsupported: function \"histogram_quantile\""),
        ("label_replace(foo, \"a\", \"b\", \"c\", \"d\")", "1:1: unsupported: function \"label_replace\""),
        ("1 + delta(foo[5m])", "1:5: unsupported: function \"delta\""),
        ("count_values(\"x\", foo)", "1:1: unsupported: aggregation \"count_values\""),
    ]

    @Test(arguments: unsupported)
    func unsupportedQuery(_ query: String, _ message: String) {
        #expect(throws: PromQLError(kind: .unsupported, position: Self.position(message, in: query), message: message)) {
            _ = try PromQLFixture.engine.instant(query, at: 0)
        }
    }

    /// The 0-based offset a "line:column: ..." message names.
    static func position(_ message: String, in query: String) -> Int {
        let parts = message.split(separator: ":", maxSplits: 2)
        let line = Int(parts[0]) ?? 1
        let column = Int(parts[1]) ?? 1
        var offset = 0
        var currentLine = 1
        for c in query.unicodeScalars {
            if currentLine == line { break }
            offset += 1
            if c == "\n" { currentLine += 1 }
        }
        return offset + column - 1
    }

    @Test func rangeQueryLimits() {
        let engine = PromQLFixture.engine
        #expect(
            throws: PromQLError(
                kind: .parse, message: "zero or negative query resolution step widths are not accepted. Try a positive integer")
        ) {
            _ = try engine.range("1", start: 0, end: 10, step: 0)
        }
        #expect(throws: PromQLError(kind: .parse, message: "end timestamp must not be before start time")) {
            _ = try engine.range("1", start: 10, end: 0, step: 1)
        }
        #expect(
            throws: PromQLError(
                kind: .parse,
                message: "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        ) {
            _ = try engine.range("1", start: 0, end: 11_000, step: 1)
        }
        #expect(
            throws: PromQLError(
                kind: .parse, message: "invalid expression type \"range vector\" for range query, must be Scalar or instant Vector")
        ) {
            _ = try engine.range("foo[5m]", start: 0, end: 10, step: 1)
        }
    }

    @Test func executionErrors() {
        let engine = PromQLFixture.engine
        let t = PromQLFixture.minute(10)
        #expect(
            throws: PromQLError(
                kind: .execution, message: "vector cannot contain metrics with the same labelset: {host=\"h1\", service=\"api\"}")
        ) {
            _ = try engine.instant("{__name__=~\"cpu_.*\", host=\"h1\"} * 1", at: t)
        }
        #expect(
            throws: PromQLError(
                kind: .execution,
                message:
                    "found duplicate series for the match group {host=\"h1\", service=\"api\"} on the left hand-side of the operation; many-to-many matching not allowed: matching labels must be unique on one side"
            )
        ) {
            _ = try engine.instant("{__name__=~\"cpu_.*\", host=\"h1\"} + cpu_usage", at: t)
        }
    }

    @Test func kindRawValuesAreAPIErrorTypes() {
        #expect(PromQLError.Kind.parse.rawValue == "bad_data")
        #expect(PromQLError.Kind.unsupported.rawValue == "bad_data")
        #expect(PromQLError.Kind.execution.rawValue == "execution")
        #expect(PromQLError.Kind.timeout.rawValue == "timeout")
        #expect(PromQLError.Kind(rawValue: "bad_data") == .parse)
    }
}
