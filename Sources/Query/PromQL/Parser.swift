import TSDB

/// Recursive-descent parser with precedence climbing for binary operators, producing an
/// `Expr` type-checked as Prometheus does at parse time.
struct Parser {
    let query: [Unicode.Scalar]
    let tokens: [Token]
    var index = 0
    /// parseExpr frames on the stack, and the height of the deepest subtree parsed so far at
    /// this level: both stay within `InputLimits.maxQueryDepth`.
    var depth = 0
    var subtreeHeight = 0

    /// Parses a whole query.
    static func parse(_ text: String) throws(PromQLError) -> Expr {
        guard text.utf8.count <= InputLimits.maxQueryBytes else {
            throw PromQLError(
                kind: .parse, message: "query is \(text.utf8.count) bytes, more than the limit of \(InputLimits.maxQueryBytes)")
        }
        let q = Array(text.unicodeScalars)
        var p = Parser(query: q, tokens: try Lexer.tokenize(q))
        if p.peek.kind == .eof { throw p.error("no expression found in input", at: p.peek) }
        let e = try p.parseExpr(0)
        if p.peek.kind != .eof { throw p.unexpected(p.peek) }
        return e
    }

    var peek: Token { tokens[index] }

    mutating func advance() -> Token {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    func error(_ reason: String, at t: Token) -> PromQLError { .parse(reason, at: t.position, in: query) }
    func unsupported(_ what: String, at t: Token) -> PromQLError { .unsupported(what, at: t.position, in: query) }

    /// "unexpected <token>", or the unclosed-bracket wording at end of input.
    func unexpected(_ t: Token, context: String = "", expected: String = "") -> PromQLError {
        var s = "unexpected \(t.describe)"
        if !context.isEmpty { s += " \(context)" }
        if !expected.isEmpty { s += ", expected \(expected)" }
        return error(s, at: t)
    }

    func isWord(_ word: String) -> Bool {
        if case .identifier(let s) = peek.kind { return s == word }
        return false
    }

    mutating func expect(_ kind: Token.Kind, context: String, unclosed: String) throws(PromQLError) {
        if peek.kind == kind {
            _ = advance()
            return
        }
        if peek.kind == .eof { throw error("unclosed \(unclosed)", at: peek) }
        throw unexpected(peek, context: context)
    }

    /// Throws unless `)` is next; does not consume it.
    func requireRightParen(context: String) throws(PromQLError) {
        if peek.kind == .rightParen { return }
        if peek.kind == .eof { throw error("unclosed left parenthesis", at: peek) }
        throw unexpected(peek, context: context)
    }

    // MARK: expressions

    mutating func parseExpr(_ minPrecedence: Int) throws(PromQLError) -> Expr {
        let enclosingHeight = subtreeHeight
        depth += 1
        defer { depth -= 1 }
        try checkNesting(depth)
        subtreeHeight = 0
        var lhs = try parseUnary()
        var height = subtreeHeight + 1
        while case .op(let s) = peek.kind {
            let opToken = peek
            if s == "atan2" { throw unsupported("binary operator \"atan2\"", at: opToken) }
            guard let op = BinaryOp(rawValue: s), op.precedence >= minPrecedence else { break }
            _ = advance()
            var returnBool = false
            if isWord("bool") {
                guard op.isComparison else {
                    throw error("bool modifier can only be used on comparison operators", at: peek)
                }
                _ = advance()
                returnBool = true
            }
            for word in ["on", "ignoring", "group_left", "group_right"] where isWord(word) {
                throw unsupported("vector matching modifier \"\(word)\"", at: peek)
            }
            subtreeHeight = 0
            let rhs = try parseExpr(op.isRightAssociative ? op.precedence : op.precedence + 1)
            // A chain `a + b + c ...` nests to the left without recursing here; count its height.
            height = max(height, subtreeHeight) + 1
            try checkNesting(height)
            for side in [lhs, rhs] where side.type != .scalar && side.type != .vector {
                throw error("binary expression must contain only scalar and instant vector types", at: opToken)
            }
            if op.isSetOperator && (lhs.type == .scalar || rhs.type == .scalar) {
                throw error("set operator \"\(s)\" not allowed in binary scalar expression", at: opToken)
            }
            if op.isComparison && !returnBool && lhs.type == .scalar && rhs.type == .scalar {
                throw error("comparisons between scalars must use BOOL modifier", at: opToken)
            }
            lhs = .binary(op: op, lhs: lhs, rhs: rhs, returnBool: returnBool)
        }
        subtreeHeight = max(enclosingHeight, height)
        return lhs
    }

    func checkNesting(_ height: Int) throws(PromQLError) {
        guard height <= InputLimits.maxQueryDepth else {
            throw error("expression nests deeper than the limit of \(InputLimits.maxQueryDepth); simplify the query", at: peek)
        }
    }

    /// Unary minus binds looser than `^` and tighter than `*`, as in Prometheus (`-2^2` is -4).
    mutating func parseUnary() throws(PromQLError) -> Expr {
        guard case .op(let s) = peek.kind, s == "-" || s == "+" else { return try parsePostfix() }
        let t = advance()
        let operand = try parseExpr(BinaryOp.pow.precedence)
        guard operand.type == .scalar || operand.type == .vector else {
            throw error(
                "unary expression only allowed on expressions of type scalar or instant vector, got \"\(operand.type.rawValue)\"", at: t)
        }
        if s == "+" { return operand }
        if case .number(let v) = operand { return .number(-v) }
        return .negate(operand)
    }

    /// A primary expression followed by `[range]`, `offset d` or `@ t`.
    mutating func parsePostfix() throws(PromQLError) -> Expr {
        var e = try parsePrimary()
        while true {
            let t = peek
            if t.kind == .leftBracket {
                _ = advance()
                if peek.kind == .colon || tokens[min(index + 1, tokens.count - 1)].kind == .colon {
                    throw unsupported("subquery", at: t)
                }
                guard case .selector(var sel) = e, sel.range == nil, sel.offset == 0 else {
                    throw error("ranges only allowed for vector selectors", at: t)
                }
                guard case .duration(let d) = peek.kind else {
                    if peek.kind == .eof { throw error("unclosed left bracket", at: peek) }
                    throw unexpected(peek, context: "in range", expected: "duration")
                }
                _ = advance()
                try expect(.rightBracket, context: "in range", unclosed: "left bracket")
                if d <= 0 { throw error("range must be greater than 0", at: t) }
                sel.range = d
                e = .selector(sel)
            } else if isWord("offset") {
                _ = advance()
                guard case .selector(var sel) = e else {
                    throw error(
                        "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery", at: t)
                }
                if sel.offset != 0 { throw error("offset may not be set multiple times", at: t) }
                var sign: Int64 = 1
                if case .op("-") = peek.kind {
                    _ = advance()
                    sign = -1
                }
                guard case .duration(let d) = peek.kind else {
                    throw unexpected(peek, context: "in offset", expected: "duration")
                }
                _ = advance()
                sel.offset = sign * d
                e = .selector(sel)
            } else if t.kind == .at {
                throw unsupported("@ modifier", at: t)
            } else {
                return e
            }
        }
    }

    mutating func parsePrimary() throws(PromQLError) -> Expr {
        let t = peek
        switch t.kind {
        case .number(let v):
            _ = advance()
            return .number(v)
        case .string(let s):
            _ = advance()
            return .string(s)
        case .leftParen:
            _ = advance()
            if peek.kind == .rightParen { throw unexpected(peek) }
            let e = try parseExpr(0)
            try expect(.rightParen, context: "", unclosed: "left parenthesis")
            return .paren(e)
        case .leftBrace:
            return try parseSelector(name: nil, at: t)
        case .identifier(let name):
            if Keyword.aggregators.contains(name) { return try parseAggregate() }
            if Keyword.reserved.contains(name) { throw unexpected(t) }
            _ = advance()
            if peek.kind == .leftParen { return try parseCall(name, at: t) }
            return try parseSelector(name: name, at: t)
        case .eof:
            throw error("unexpected end of input", at: t)
        default:
            throw unexpected(t)
        }
    }
}
