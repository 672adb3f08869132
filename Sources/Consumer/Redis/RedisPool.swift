import Foundation

/// At most `maxConnections` connections to one server, handed out one caller at a time.
///
/// Connections are opened lazily and kept; a connection that failed reconnects on its next
/// use, so the pool needs no health checks. Waiting for a free connection is bounded.
public final class RedisPool: @unchecked Sendable {
    /// Default for `maxConnections` (MAX_REDIS_CONNECTIONS unset).
    public static let defaultMaxConnections = 20

    /// Figures for tests and metrics.
    public struct Stats: Sendable, Equatable {
        /// Connections currently held by the pool (idle plus checked out).
        public var open: Int
        public var inUse: Int
        /// The most connections ever checked out at once.
        public var peakInUse: Int
    }

    public let options: RedisOptions
    public let maxConnections: Int
    /// How long `checkout` waits for a connection before throwing `poolExhausted`.
    public let checkoutTimeout: Duration

    private let condition = NSCondition()
    private var idle: [RedisConnection] = []
    private var open = 0
    private var inUse = 0
    private var peakInUse = 0

    /// A pool; `maxConnections` is clamped to at least 1.
    public init(options: RedisOptions, maxConnections: Int = RedisPool.defaultMaxConnections, checkoutTimeout: Duration = .seconds(5)) {
        self.options = options
        self.maxConnections = max(1, maxConnections)
        self.checkoutTimeout = checkoutTimeout
    }

    /// Current figures.
    public var stats: Stats {
        condition.lock()
        defer { condition.unlock() }
        return Stats(open: open, inUse: inUse, peakInUse: peakInUse)
    }

    /// Runs `body` with a connection checked out for its duration.
    public func withConnection<T>(_ body: (RedisConnection) throws(RedisError) -> T) throws(RedisError) -> T {
        let connection = try checkout()
        defer { checkin(connection) }
        return try body(connection)
    }

    /// Takes an idle connection, opens a new one below the limit, or waits (bounded) for one.
    public func checkout() throws(RedisError) -> RedisConnection {
        let deadline = Date().addingTimeInterval(Self.seconds(checkoutTimeout))
        condition.lock()
        while idle.isEmpty && open >= maxConnections {
            if !condition.wait(until: deadline) && idle.isEmpty && open >= maxConnections {
                condition.unlock()
                throw .poolExhausted(endpoint: options.endpoint, maxConnections: maxConnections, waited: checkoutTimeout)
            }
        }
        inUse += 1
        peakInUse = max(peakInUse, inUse)
        if let connection = idle.popLast() {
            condition.unlock()
            return connection
        }
        open += 1  // reserve the slot, then connect outside the lock
        condition.unlock()
        do {
            return try RedisConnection(options: options)
        } catch {
            condition.lock()
            open -= 1
            inUse -= 1
            condition.signal()
            condition.unlock()
            throw error
        }
    }

    /// Returns a connection taken with `checkout`.
    public func checkin(_ connection: RedisConnection) {
        condition.lock()
        idle.append(connection)
        inUse -= 1
        condition.signal()
        condition.unlock()
    }

    /// Closes the idle connections' sockets (they reconnect if used again).
    public func closeIdle() {
        condition.lock()
        let connections = idle
        condition.unlock()
        for connection in connections { connection.close() }
    }

    private static func seconds(_ d: Duration) -> TimeInterval {
        let (s, atto) = d.components
        return TimeInterval(s) + TimeInterval(atto) / 1e18
    }
}
