/// A lexical token of PromQL with its 0-based start offset in the query.
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case number(Double)
        case string(String)
        case duration(Int64)
        case identifier(String)
        case op(String)  // + - * / % ^ == != > < >= <= = =~ !~ and or unless atan2
        case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket
        case comma, colon, at
        case eof
    }

    var kind: Kind
    var position: Int
    /// The source text of the token, for error messages.
    var text: String

    /// Prometheus' wording of the token in "unexpected ..." messages.
    var describe: String {
        switch kind {
        case .eof: return "end of input"
        case .number: return "number \"\(text)\""
        case .string: return "string \(text)"
        case .duration: return "duration \"\(text)\""
        case .identifier(let s):
            if Keyword.aggregators.contains(s) { return "<aggr:\(s)>" }
            if Keyword.reserved.contains(s) { return "<\(s)>" }
            return "identifier \"\(s)\""
        case .op(let s): return "<op:\(s)>"
        case .leftParen: return "left parenthesis '('"
        case .rightParen: return "right parenthesis ')'"
        case .leftBrace: return "left brace '{'"
        case .rightBrace: return "right brace '}'"
        case .leftBracket: return "left bracket '['"
        case .rightBracket: return "right bracket ']'"
        case .comma: return "\",\""
        case .colon: return "\":\""
        case .at: return "<@>"
        }
    }
}

/// PromQL words with a grammatical role.
enum Keyword {
    static let aggregators: Set<String> = [
        "sum", "avg", "min", "max", "count", "stddev", "stdvar", "group", "topk", "bottomk",
        "quantile", "count_values", "limitk", "limit_ratio",
    ]
    static let reserved: Set<String> = [
        "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool",
    ]
    static let wordOperators: Set<String> = ["and", "or", "unless", "atan2"]
}
