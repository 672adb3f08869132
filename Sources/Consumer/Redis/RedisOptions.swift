/// Where and how to connect: endpoint, credentials, database and timeouts.
public struct RedisOptions: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// Sent with `AUTH` right after connecting when set.
    public var password: String?
    /// Chosen with `SELECT` right after connecting when not 0.
    public var database: Int
    /// Bounds `connect()`, so an unreachable server fails fast instead of stalling the caller.
    public var connectTimeout: Duration
    /// Bounds every read and write on the socket (`SO_RCVTIMEO`/`SO_SNDTIMEO`).
    public var commandTimeout: Duration
    /// TCP keep-alive, so a silently dropped peer is noticed on idle pooled connections.
    public var keepAlive: Bool

    /// Options with short defaults suited to a mirror that must never hold up ingestion.
    public init(
        host: String = "127.0.0.1", port: Int = 6379, password: String? = nil, database: Int = 0,
        connectTimeout: Duration = .seconds(1), commandTimeout: Duration = .seconds(2), keepAlive: Bool = true
    ) {
        self.host = host
        self.port = port
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.keepAlive = keepAlive
    }

    /// Options for a parsed `redis://` URL, default timeouts.
    public init(url: RedisURL) {
        self.init(host: url.host, port: url.port, password: url.password, database: url.database)
    }

    /// `host:port`, as used in error messages.
    public var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
