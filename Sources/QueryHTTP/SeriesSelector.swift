import TSDB

/// A parse error in a `match[]` selector, with the 1-based column in Prometheus's `1:col:` form.
public struct SelectorError: Error, Sendable, CustomStringConvertible {
    public var column: Int
    public var reason: String
    public var description: String { "1:\(column): parse error: \(reason)" }
}

/// Parses the series selectors of `match[]` parameters: `name`, `name{l="v", l2=~"re"}`,
/// `{__name__=~"api_.*"}`, with "..", '..' or `..` strings.
public enum SeriesSelector {
    /// Matchers of one selector; at least one must reject the empty string, as Prometheus requires.
    public static func parse(_ text: String) throws(SelectorError) -> [LabelMatcher] {
        var p = Parser(bytes: Array(text.utf8))
        let matchers = try p.selector()
        guard matchers.contains(where: { !$0.matches("") }) else {
            throw SelectorError(column: 1, reason: "vector selector must contain at least one non-empty matcher")
        }
        return matchers
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        mutating func selector() throws(SelectorError) -> [LabelMatcher] {
            var matchers: [LabelMatcher] = []
            skipSpace()
            if let name = identifier(allowColon: true) {
                matchers.append(.equal(Labels.metricName, name))
                skipSpace()
            }
            if peek == UInt8(ascii: "{") {
                i += 1
                skipSpace()
                while peek != UInt8(ascii: "}") {
                    matchers.append(try matcher())
                    skipSpace()
                    if peek == UInt8(ascii: ",") {
                        i += 1
                        skipSpace()
                    } else if peek != UInt8(ascii: "}") {
                        throw fail("unexpected \(describePeek) in label matching, expected \",\" or \"}\"")
                    }
                }
                i += 1
                skipSpace()
            }
            if matchers.isEmpty { throw fail("unexpected \(describePeek), expected a metric name or \"{\"") }
            if i < bytes.count { throw fail("unexpected \(describePeek) after the selector") }
            return matchers
        }

        mutating func matcher() throws(SelectorError) -> LabelMatcher {
            guard let name = identifier(allowColon: false) else { throw fail("unexpected \(describePeek), expected a label name") }
            skipSpace()
            let opStart = i
            let op: LabelMatcher.Op
            if take("=~") {
                op = .regexMatch
            } else if take("!~") {
                op = .regexNoMatch
            } else if take("!=") {
                op = .notEqual
            } else if take("=") {
                op = .equal
            } else {
                throw fail("unexpected \(describePeek) in label matching, expected one of \"=\", \"!=\", \"=~\", \"!~\"")
            }
            skipSpace()
            let value = try string()
            do {
                return try LabelMatcher(name, op, value)
            } catch {
                throw SelectorError(column: opStart + 1, reason: "\(error)")
            }
        }

        mutating func string() throws(SelectorError) -> String {
            guard let quote = peek, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") || quote == UInt8(ascii: "`") else {
                throw fail("unexpected \(describePeek), expected a quoted label value")
            }
            let start = i
            i += 1
            var out: [UInt8] = []
            while i < bytes.count, bytes[i] != quote {
                if bytes[i] == UInt8(ascii: "\\"), quote != UInt8(ascii: "`"), i + 1 < bytes.count {
                    i += 1
                    switch bytes[i] {
                    case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                    case UInt8(ascii: "t"): out.append(UInt8(ascii: "\t"))
                    case UInt8(ascii: "r"): out.append(UInt8(ascii: "\r"))
                    default: out.append(bytes[i])  // \\ \" \' and, leniently, anything else
                    }
                } else {
                    out.append(bytes[i])
                }
                i += 1
            }
            guard i < bytes.count else { throw SelectorError(column: start + 1, reason: "unterminated quoted string") }
            i += 1
            return String(decoding: out, as: UTF8.self)
        }

        mutating func identifier(allowColon: Bool) -> String? {
            let start = i
            while let c = peek, isLetter(c) || c == UInt8(ascii: "_") || (allowColon && c == UInt8(ascii: ":")) || (i > start && isDigit(c))
            {
                i += 1
            }
            return i > start ? String(decoding: bytes[start..<i], as: UTF8.self) : nil
        }

        mutating func take(_ token: String) -> Bool {
            let n = token.utf8.count
            guard i + n <= bytes.count, token.utf8.elementsEqual(bytes[i..<(i + n)]) else { return false }
            i += n
            return true
        }

        mutating func skipSpace() {
            while let c = peek, c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
                i += 1
            }
        }

        var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

        var describePeek: String {
            guard let c = peek else { return "end of input" }
            return "character '\(Character(Unicode.Scalar(c)))'"
        }

        func fail(_ reason: String) -> SelectorError { SelectorError(column: i + 1, reason: reason) }

        func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") }
        func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
    }
}
