import Foundation
import TSDB

/// Mirrors recent samples and health documents into Redis for fast "latest" reads.
///
/// Layout (all JSON is `EventWriter`'s line without the newline):
/// - `metrics:{service}:{type}`: list of sample JSON, newest first, at most `listLength`, TTL.
/// - `metrics:latest:{service}:{type}`: the newest sample JSON, same TTL.
/// - `metrics:health:{service}`: list of health JSON, newest first, at most `healthLength`.
///
/// The mirror is best effort: a failed batch throws quickly, is counted, and marks the mirror
/// behind from the batch's oldest timestamp so the owner can re-read that span from the store
/// and `rebuild` the lists later.
public final class RedisMirror: @unchecked Sendable {
    /// Key lengths, TTL and caps.
    public struct Config: Sendable, Equatable {
        public static let defaultTTLSeconds = 3600
        /// Seconds every metrics key lives after its last write (REDIS_METRICS_TTL).
        public var ttlSeconds: Int
        /// Samples kept per series list.
        public var listLength: Int
        /// Health documents kept per service.
        public var healthLength: Int

        /// A config; lengths are clamped to at least 1, the TTL to at least 1 s.
        public init(ttlSeconds: Int = Config.defaultTTLSeconds, listLength: Int = 1000, healthLength: Int = 100) {
            self.ttlSeconds = max(1, ttlSeconds)
            self.listLength = max(1, listLength)
            self.healthLength = max(1, healthLength)
        }
    }

    /// Counters since creation, plus the catch-up mark.
    public struct Stats: Sendable, Equatable {
        /// Commands in pipelines the server answered.
        public var commandsSent = 0
        /// Batches that failed (transport error or an error reply).
        public var errors = 0
        public var batchesMirrored = 0
        /// Key writes (series lists, latest keys, health lists) in mirrored batches.
        public var keysWritten = 0
        public var lastError: RedisError?
        /// Oldest timestamp (ms) of samples that may be missing from Redis, if any.
        public var behindSince: Int64?
    }

    public let pool: RedisPool
    public let config: Config
    private let lock = NSLock()
    private var counters = Stats()

    /// A mirror writing through `pool`.
    public init(pool: RedisPool, config: Config = Config()) {
        self.pool = pool
        self.config = config
    }

    /// The list of recent samples of one series.
    public static func listKey(service: String, type: String) -> String { "metrics:\(service):\(type)" }
    /// The newest sample of one series.
    public static func latestKey(service: String, type: String) -> String { "metrics:latest:\(service):\(type)" }
    /// The list of recent health documents of one service.
    public static func healthKey(service: String) -> String { "metrics:health:\(service)" }

    /// Writes one batch in one pipelined round trip; on failure counts it, marks the mirror
    /// behind from the batch's oldest sample, and rethrows (the caller keeps storing).
    public func mirror(batch: [MetricEvent], health: [(service: String, json: String)]) throws(RedisError) {
        try send(MirrorCommands(batch: batch, health: health, config: config, replaceLists: false), oldest: batch)
    }

    /// Like `mirror`, but first deletes each series list in the batch, so a catch-up that
    /// re-reads the last samples from the store leaves the lists complete and newest first.
    public func rebuild(batch: [MetricEvent]) throws(RedisError) {
        try send(MirrorCommands(batch: batch, health: [], config: config, replaceLists: true), oldest: batch)
    }

    /// The data-quality report (`GET /api/v1/quality`'s JSON), refreshed by the mirror stage.
    public static let qualityKey = "metrics:quality"

    /// Runs writes in one pipelined round trip, counting commands and failures. Used as is for
    /// the quality document and the alert list: a failure marks nothing behind (the caller
    /// retries or drops).
    public func execute(_ commands: [[RedisArgument]]) throws(RedisError) {
        guard !commands.isEmpty else { return }
        do throws(RedisError) {
            let replies = try pool.withConnection { connection throws(RedisError) in try connection.pipeline(commands) }
            lock.withLock { counters.commandsSent += replies.count }
            if let message = replies.lazy.compactMap(\.errorMessage).first {
                throw RedisError.commandFailed(endpoint: pool.options.endpoint, message: message)
            }
        } catch {
            lock.withLock {
                counters.errors += 1
                counters.lastError = error
            }
            throw error
        }
    }

    /// Current counters.
    public var stats: Stats {
        lock.lock()
        defer { lock.unlock() }
        return counters
    }

    /// Whether some samples since `behindSince` may be missing from Redis.
    public var isBehind: Bool { stats.behindSince != nil }

    /// Records that samples from `timestamp` (ms) on may be missing; keeps the oldest mark.
    public func markBehind(from timestamp: Int64) {
        lock.lock()
        defer { lock.unlock() }
        counters.behindSince = min(counters.behindSince ?? timestamp, timestamp)
    }

    /// Returns and clears the mark, for the owner to replay from it; a failed replay marks again.
    public func takeBehind() -> Int64? {
        lock.lock()
        defer { lock.unlock() }
        let since = counters.behindSince
        counters.behindSince = nil
        return since
    }

    /// The mirror's own writes: `execute`, then counted as a mirrored batch; a failure marks the
    /// mirror behind from the batch's oldest sample.
    private func send(_ built: MirrorCommands, oldest batch: [MetricEvent]) throws(RedisError) {
        if built.commands.isEmpty { return }
        do {
            try execute(built.commands)
        } catch {
            if let oldest = batch.lazy.map(\.timestamp).min() { markBehind(from: oldest) }
            throw error
        }
        lock.withLock {
            counters.batchesMirrored += 1
            counters.keysWritten += built.keysWritten
        }
    }
}
