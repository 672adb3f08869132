import TSDB

/// Selectors, function calls and aggregations.
extension Parser {
    /// `name{matchers}`, `name` or `{matchers}`; the name token has been consumed already.
    mutating func parseSelector(name: String?, at start: Token) throws(PromQLError) -> Expr {
        var matchers: [LabelMatcher] = []
        if let name { matchers.append(.equal(Labels.metricName, name)) }
        if peek.kind == .leftBrace {
            _ = advance()
            while peek.kind != .rightBrace {
                let labelToken = peek
                guard case .identifier(let label) = labelToken.kind else {
                    if peek.kind == .eof { throw error("unexpected end of input inside braces", at: peek) }
                    throw unexpected(peek, context: "in label matching", expected: "identifier or \"}\"")
                }
                _ = advance()
                guard case .op(let opText) = peek.kind, let op = LabelMatcher.Op(rawValue: opText) else {
                    if peek.kind == .eof { throw error("unexpected end of input inside braces", at: peek) }
                    throw unexpected(peek, context: "in label matching", expected: "label matching operator")
                }
                _ = advance()
                guard case .string(let value) = peek.kind else {
                    if peek.kind == .eof { throw error("unexpected end of input inside braces", at: peek) }
                    throw unexpected(peek, context: "in label matching", expected: "string")
                }
                let valueToken = advance()
                if label == Labels.metricName, op == .equal, let name {
                    throw error("metric name must not be set twice: \(quote(name)) or \(quote(value))", at: labelToken)
                }
                do {
                    matchers.append(try LabelMatcher(label, op, value))
                } catch {
                    throw self.error("error parsing regexp: invalid regular expression \(quote(value))", at: valueToken)
                }
                if peek.kind == .comma {
                    _ = advance()
                    continue
                }
                if peek.kind != .rightBrace {
                    if peek.kind == .eof { throw error("unexpected end of input inside braces", at: peek) }
                    throw unexpected(peek, context: "in label matching", expected: "\",\" or \"}\"")
                }
            }
            _ = advance()
        }
        if !matchers.contains(where: { !$0.matches("") }) {
            throw error("vector selector must contain at least one non-empty matcher", at: start)
        }
        let explicitName = name ?? matchers.first { $0.name == Labels.metricName && $0.op == .equal }?.value
        return .selector(VectorSelector(name: name ?? (matchers.count == 1 ? explicitName : nil), matchers: matchers))
    }

    /// `name(args...)`; the name token has been consumed, `(` is next.
    mutating func parseCall(_ name: String, at nameToken: Token) throws(PromQLError) -> Expr {
        guard let sig = Functions.signature(name) else {
            if Functions.unsupported.contains(name) { throw unsupported("function \"\(name)\"", at: nameToken) }
            throw error("unknown function with name \(quote(name))", at: nameToken)
        }
        _ = advance()
        var args: [(Expr, Token)] = []
        while peek.kind != .rightParen {
            let argToken = peek
            args.append((try parseExpr(0), argToken))
            if peek.kind == .comma {
                _ = advance()
                continue
            }
            try requireRightParen(context: "in call to function \(quote(name))")
        }
        _ = advance()
        let required = sig.args.count - sig.optional
        if args.count < required || args.count > sig.args.count {
            let n = sig.optional == 0 ? "\(required)" : args.count < required ? "at least \(required)" : "at most \(sig.args.count)"
            throw error("expected \(n) argument(s) in call to \(quote(name)), got \(args.count)", at: nameToken)
        }
        for (i, (arg, token)) in args.enumerated() where arg.type != sig.args[i] {
            throw error("expected type \(sig.args[i].rawValue) in call to function \(quote(name)), got \(arg.type.rawValue)", at: token)
        }
        return .call(name: name, args: args.map(\.0))
    }

    /// `op [by|without (labels)] ([param,] expr) [by|without (labels)]`.
    mutating func parseAggregate() throws(PromQLError) -> Expr {
        let opToken = advance()
        guard case .identifier(let op) = opToken.kind else { throw unexpected(opToken) }
        if ["count_values", "limitk", "limit_ratio"].contains(op) { throw unsupported("aggregation \(quote(op))", at: opToken) }
        var grouping: [String] = []
        var without = false
        var grouped = false
        if isWord("by") || isWord("without") {
            (grouping, without) = try parseGrouping()
            grouped = true
        }
        guard peek.kind == .leftParen else { throw unexpected(peek, context: "in aggregation", expected: "\"(\"") }
        _ = advance()
        let takesParam = ["topk", "bottomk", "quantile"].contains(op)
        var exprs: [(Expr, Token)] = []
        while peek.kind != .rightParen {
            let argToken = peek
            exprs.append((try parseExpr(0), argToken))
            if peek.kind == .comma {
                _ = advance()
                continue
            }
            try requireRightParen(context: "in aggregation")
        }
        _ = advance()
        let wanted = takesParam ? 2 : 1
        guard exprs.count == wanted else {
            throw error("wrong number of arguments for aggregate expression provided, expected \(wanted), got \(exprs.count)", at: opToken)
        }
        if !grouped && (isWord("by") || isWord("without")) { (grouping, without) = try parseGrouping() }
        let (expr, exprToken) = exprs[exprs.count - 1]
        if expr.type != .vector {
            throw error("expected type instant vector in aggregation expression, got \(expr.type.rawValue)", at: exprToken)
        }
        if takesParam, exprs[0].0.type != .scalar {
            throw error("expected type scalar in aggregation parameter, got \(exprs[0].0.type.rawValue)", at: exprs[0].1)
        }
        return .aggregate(op: op, param: takesParam ? exprs[0].0 : nil, expr: expr, grouping: grouping, without: without)
    }

    /// `by (a, b)` or `without (a)`.
    mutating func parseGrouping() throws(PromQLError) -> ([String], Bool) {
        let without = isWord("without")
        _ = advance()
        guard peek.kind == .leftParen else { throw unexpected(peek, context: "in grouping opts", expected: "\"(\"") }
        _ = advance()
        var labels: [String] = []
        while peek.kind != .rightParen {
            guard case .identifier(let l) = peek.kind else {
                if peek.kind == .eof { throw error("unclosed left parenthesis", at: peek) }
                throw unexpected(peek, context: "in grouping opts", expected: "label")
            }
            _ = advance()
            labels.append(l)
            if peek.kind == .comma {
                _ = advance()
                continue
            }
            try requireRightParen(context: "in grouping opts")
        }
        _ = advance()
        return (labels, without)
    }
}
