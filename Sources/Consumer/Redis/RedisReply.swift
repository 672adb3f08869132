/// One reply of the Redis protocol (RESP2), decoded from hiredis into Swift values.
public enum RedisReply: Sendable, Hashable {
    /// A bulk string; binary-safe.
    case string([UInt8])
    /// A status line such as `OK` or `PONG`.
    case status(String)
    case integer(Int64)
    case array([RedisReply])
    case `nil`
    /// An error reply (`ERR ...`, `WRONGTYPE ...`): the command failed, the connection is fine.
    case error(String)

    /// The bulk string as UTF-8 text (invalid bytes repaired), or the status text.
    public var text: String? {
        switch self {
        case .string(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .status(let s): return s
        default: return nil
        }
    }

    /// The integer value, if this is an integer reply.
    public var integer: Int64? {
        if case .integer(let v) = self { return v }
        return nil
    }

    /// The elements, if this is an array reply.
    public var elements: [RedisReply]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The message, if this is an error reply.
    public var errorMessage: String? {
        if case .error(let m) = self { return m }
        return nil
    }
}
