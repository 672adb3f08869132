/// Splits a PromQL query into tokens, as Prometheus' lexer does (numbers, durations, strings,
/// identifiers with colons, operators, `#` comments).
struct Lexer {
    let query: [Unicode.Scalar]
    private var pos = 0
    /// Inside `[...]` a colon separates a subquery's range and step instead of starting a name.
    private var bracketDepth = 0

    init(_ query: [Unicode.Scalar]) { self.query = query }

    /// All tokens, ending with `.eof`.
    static func tokenize(_ query: [Unicode.Scalar]) throws(PromQLError) -> [Token] {
        var lexer = Lexer(query)
        var out: [Token] = []
        while true {
            let t = try lexer.next()
            out.append(t)
            if t.kind == .eof { return out }
        }
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? { pos + ahead < query.count ? query[pos + ahead] : nil }

    private func text(_ from: Int) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: query[from..<pos])
        return String(s)
    }

    private func error(_ reason: String, at p: Int) -> PromQLError { .parse(reason, at: p, in: query) }

    mutating func next() throws(PromQLError) -> Token {
        while let c = peek() {
            if c == "#" {
                while let d = peek(), d != "\n" { pos += 1 }
            } else if c == " " || c == "\t" || c == "\n" || c == "\r" {
                pos += 1
            } else {
                break
            }
        }
        let start = pos
        guard let c = peek() else { return Token(kind: .eof, position: pos, text: "") }
        func single(_ k: Token.Kind) -> Token {
            pos += 1
            return Token(kind: k, position: start, text: String(c))
        }
        switch c {
        case "(": return single(.leftParen)
        case ")": return single(.rightParen)
        case "{": return single(.leftBrace)
        case "}": return single(.rightBrace)
        case "[":
            bracketDepth += 1
            return single(.leftBracket)
        case "]":
            bracketDepth -= 1
            return single(.rightBracket)
        case ":" where bracketDepth > 0: return single(.colon)
        case ",": return single(.comma)
        case "@": return single(.at)
        case "+", "-", "*", "/", "%", "^": return single(.op(String(c)))
        case "=", "!", "<", ">":
            pos += 1
            if let d = peek(), d == "=" || (d == "~" && (c == "=" || c == "!")) { pos += 1 }
            let s = text(start)
            if s == "!" { throw error("unexpected character after '!': \(describeScalar(peek()))", at: start) }
            return Token(kind: .op(s), position: start, text: s)
        case "\"", "'", "`": return try lexString(quote: c)
        default: break
        }
        if isDigit(c) || (c == "." && peek(1).map(isDigit) == true) { return try lexNumberOrDuration() }
        if isIdentStart(c) {
            while let d = peek(), isIdentStart(d) || isDigit(d) { pos += 1 }
            let word = text(start)
            let lower = word.lowercased()
            if lower == "inf" || lower == "nan" {
                return Token(kind: .number(lower == "inf" ? .infinity : .nan), position: start, text: word)
            }
            if Keyword.wordOperators.contains(lower) { return Token(kind: .op(lower), position: start, text: word) }
            return Token(kind: .identifier(word), position: start, text: word)
        }
        throw error("unexpected character: \(describeScalar(c))", at: start)
    }

    private func describeScalar(_ c: Unicode.Scalar?) -> String {
        guard let c else { return "end of input" }
        return "'\(Character(c))'"
    }

    private func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
    private func isIdentStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" || c == ":"
    }

    private mutating func lexNumberOrDuration() throws(PromQLError) -> Token {
        let start = pos
        if peek() == "0", let x = peek(1), x == "x" || x == "X" {
            pos += 2
            while let d = peek(), d.properties.isASCIIHexDigit { pos += 1 }
            let s = text(start)
            guard let v = UInt64(s.dropFirst(2), radix: 16) else { throw error("bad number syntax: \"\(s)\"", at: start) }
            return Token(kind: .number(Double(v)), position: start, text: s)
        }
        while let d = peek(), isDigit(d) { pos += 1 }
        // A digit run followed by a unit letter is a duration ("5m", "1h30m").
        if let u = peek(), "smhdwy".unicodeScalars.contains(u) {
            while let d = peek(), isDigit(d) || (isIdentStart(d) && d != ":") { pos += 1 }
            let s = text(start)
            guard let ms = Duration.parse(s) else { throw error("bad duration syntax: \"\(s)\"", at: start) }
            return Token(kind: .duration(ms), position: start, text: s)
        }
        if peek() == "." {
            pos += 1
            while let d = peek(), isDigit(d) { pos += 1 }
        }
        if let e = peek(), e == "e" || e == "E" {
            pos += 1
            if let sign = peek(), sign == "+" || sign == "-" { pos += 1 }
            while let d = peek(), isDigit(d) { pos += 1 }
        }
        // Letters glued to a number ("1a", "1e") make it malformed, as in Prometheus.
        if let d = peek(), isIdentStart(d) || isDigit(d) || d == "." {
            while let d = peek(), isIdentStart(d) || isDigit(d) || d == "." { pos += 1 }
            throw error("bad number or duration syntax: \"\(text(start))\"", at: start)
        }
        let s = text(start)
        guard let v = Double(s) else { throw error("bad number or duration syntax: \"\(s)\"", at: start) }
        return Token(kind: .number(v), position: start, text: s)
    }

    private mutating func lexString(quote: Unicode.Scalar) throws(PromQLError) -> Token {
        let start = pos
        pos += 1
        var value = String.UnicodeScalarView()
        while true {
            guard let c = peek() else { throw error("unterminated quoted string", at: start) }
            pos += 1
            if c == quote { break }
            if c == "\n" && quote != "`" { throw error("unterminated quoted string", at: start) }
            if c == "\\" && quote != "`" {
                guard let e = peek() else { throw error("unterminated quoted string", at: start) }
                pos += 1
                switch e {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "r": value.append("\r")
                case "\\", "\"", "'", "`": value.append(e)
                default: throw error("unknown escape sequence '\\\(Character(e))'", at: pos - 2)
                }
                continue
            }
            value.append(c)
        }
        return Token(kind: .string(String(value)), position: start, text: text(start))
    }
}
