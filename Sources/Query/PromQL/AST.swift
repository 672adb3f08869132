import TSDB

/// The type of a PromQL expression's value.
enum ValueType: String, Sendable {
    case scalar
    case vector = "instant vector"
    case matrix = "range vector"
    case string
}

/// `metric{matchers}[range] offset d`: `range` is set for range vector selectors.
struct VectorSelector: Sendable {
    var name: String?
    /// Every matcher, including the one for `__name__` implied by `name`.
    var matchers: [LabelMatcher]
    var range: Int64?
    var offset: Int64 = 0
}

/// Binary operators with Prometheus' precedence (higher binds tighter).
enum BinaryOp: String, Sendable, CaseIterable {
    case add = "+"
    case sub = "-"
    case mul = "*"
    case div = "/"
    case mod = "%"
    case pow = "^"
    case eq = "=="
    case ne = "!="
    case gt = ">"
    case lt = "<"
    case ge = ">="
    case le = "<="
    case and, or, unless

    var precedence: Int {
        switch self {
        case .pow: return 6
        case .mul, .div, .mod: return 5
        case .add, .sub: return 4
        case .eq, .ne, .gt, .lt, .ge, .le: return 3
        case .and, .unless: return 2
        case .or: return 1
        }
    }

    var isComparison: Bool { precedence == 3 }
    var isSetOperator: Bool { precedence <= 2 }
    var isRightAssociative: Bool { self == .pow }
}

/// A parsed PromQL expression.
indirect enum Expr: Sendable {
    case number(Double)
    case string(String)
    case selector(VectorSelector)
    case paren(Expr)
    case negate(Expr)
    case binary(op: BinaryOp, lhs: Expr, rhs: Expr, returnBool: Bool)
    case call(name: String, args: [Expr])
    case aggregate(op: String, param: Expr?, expr: Expr, grouping: [String], without: Bool)

    var type: ValueType {
        switch self {
        case .number: return .scalar
        case .string: return .string
        case .selector(let s): return s.range == nil ? .vector : .matrix
        case .paren(let e), .negate(let e): return e.type
        case .binary(_, let l, let r, _): return l.type == .scalar && r.type == .scalar ? .scalar : .vector
        case .call(let name, _): return Functions.signature(name)?.returns ?? .vector
        case .aggregate: return .vector
        }
    }
}

extension Expr: CustomStringConvertible {
    /// Canonical PromQL text; parsing it yields the same tree.
    var description: String {
        switch self {
        case .number(let v):
            if v.isNaN { return "NaN" }
            if v.isInfinite { return v < 0 ? "-Inf" : "Inf" }
            return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
        case .string(let s): return quote(s)
        case .selector(let s): return s.description
        case .paren(let e): return "(\(e))"
        case .negate(let e): return "-\(e)"
        case .binary(let op, let l, let r, let b): return "\(l) \(op.rawValue)\(b ? " bool" : "") \(r)"
        case .call(let name, let args): return "\(name)(\(args.map(\.description).joined(separator: ", ")))"
        case .aggregate(let op, let param, let e, let grouping, let without):
            let args = (param.map { "\($0), " } ?? "") + e.description
            if grouping.isEmpty && !without { return "\(op)(\(args))" }
            return "\(op) \(without ? "without" : "by") (\(grouping.joined(separator: ", "))) (\(args))"
        }
    }
}

extension VectorSelector: CustomStringConvertible {
    var description: String {
        let rest = matchers.filter { !($0.name == Labels.metricName && $0.op == .equal && $0.value == name) }
        var s = name ?? ""
        if !rest.isEmpty || name == nil {
            s += "{" + rest.map { "\($0.name)\($0.op.rawValue)\(quote($0.value))" }.joined(separator: ", ") + "}"
        }
        if let r = range { s += "[\(Duration.format(r))]" }
        if offset != 0 { s += " offset \(Duration.format(offset))" }
        return s
    }
}

/// A double-quoted PromQL string literal.
func quote(_ s: String) -> String {
    var out = "\""
    for c in s.unicodeScalars {
        switch c {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default: out.unicodeScalars.append(c)
        }
    }
    return out + "\""
}
