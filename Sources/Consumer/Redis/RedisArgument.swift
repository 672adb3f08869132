/// One argument of a Redis command, sent binary-safe (`redisAppendCommandArgv`).
public enum RedisArgument: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case string(String)
    /// Raw bytes; a slice so many arguments can share one buffer without copying.
    case bytes(ArraySlice<UInt8>)
    /// Sent as its decimal digits, as Redis expects for counts, indexes and TTLs.
    case integer(Int64)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// Raw bytes from an array.
    public init(_ bytes: [UInt8]) { self = .bytes(bytes[...]) }

    /// Appends the argument's bytes to `out` (the wire form before RESP framing).
    func append(to out: inout [UInt8]) {
        switch self {
        case .string(let s): out.append(contentsOf: s.utf8)
        case .bytes(let b): out.append(contentsOf: b)
        case .integer(let v): out.append(contentsOf: String(v).utf8)
        }
    }
}
