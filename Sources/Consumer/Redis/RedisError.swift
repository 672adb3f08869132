/// Why a Redis call failed, with the endpoint and a hint on what to check.
public enum RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing listens at the endpoint, or the host does not resolve.
    case connectionRefused(endpoint: String, detail: String)
    /// The server closed the connection (restart, `timeout` setting, client kill).
    case connectionClosed(endpoint: String, detail: String)
    /// Connecting, reading or writing took longer than the configured timeout.
    case timeout(endpoint: String, detail: String)
    /// The server sent bytes that are not RESP, or hiredis failed internally.
    case protocolError(endpoint: String, detail: String)
    /// `AUTH` was rejected, or the server requires a password that was not given.
    case authenticationFailed(endpoint: String, detail: String)
    /// The server answered a command with an error reply where that is fatal (SELECT, a mirror batch).
    case commandFailed(endpoint: String, message: String)
    /// Every pooled connection stayed busy for the whole checkout wait.
    case poolExhausted(endpoint: String, maxConnections: Int, waited: Duration)

    /// The `host:port` the failure is about.
    public var endpoint: String {
        switch self {
        case .connectionRefused(let e, _), .connectionClosed(let e, _), .timeout(let e, _),
            .protocolError(let e, _), .authenticationFailed(let e, _), .commandFailed(let e, _),
            .poolExhausted(let e, _, _):
            return e
        }
    }

    /// What to check first.
    public var hint: String {
        switch self {
        case .connectionRefused: return "is redis-server running and is REDIS_URL's host:port right?"
        case .connectionClosed: return "the server restarted or dropped the client; the next call reconnects"
        case .timeout: return "the server is overloaded or unreachable; check the network and server latency"
        case .protocolError: return "is this port really a Redis server?"
        case .authenticationFailed: return "check the password in REDIS_URL (redis://:password@host:port/db)"
        case .commandFailed: return "see the server's message; check the database number and key types"
        case .poolExhausted: return "raise MAX_REDIS_CONNECTIONS or lower concurrency"
        }
    }

    public var description: String {
        switch self {
        case .connectionRefused(let e, let d): return "redis \(e): connection refused (\(d)); hint: \(hint)"
        case .connectionClosed(let e, let d): return "redis \(e): connection closed (\(d)); hint: \(hint)"
        case .timeout(let e, let d): return "redis \(e): timeout (\(d)); hint: \(hint)"
        case .protocolError(let e, let d): return "redis \(e): protocol error (\(d)); hint: \(hint)"
        case .authenticationFailed(let e, let d): return "redis \(e): authentication failed (\(d)); hint: \(hint)"
        case .commandFailed(let e, let m): return "redis \(e): command failed: \(m); hint: \(hint)"
        case .poolExhausted(let e, let n, let w):
            return "redis \(e): no free connection among \(n) after \(w); hint: \(hint)"
        }
    }
}
