import Foundation
import Logging
import TSDB

/// Mirrors stored batches to Redis on its own thread, so the Redis round trip of one batch
/// overlaps the decoding and fsync of the next. Bounded: `isFull` tells the consumer to pause
/// its partitions instead of buffering; a batch that cannot be mirrored (Redis down) marks the
/// mirror behind and is caught up from the store once Redis answers again.
public final class MirrorStage: @unchecked Sendable {
    /// Counters for `/metrics` and tests.
    public struct Stats: Sendable, Equatable {
        /// Batches whose mirroring failed (the store has them; a catch-up follows).
        public var failedBatches = 0
        /// Catch-ups that rebuilt lists from the store after an outage.
        public var catchUps = 0
        /// Events waiting for the mirror thread now.
        public var queuedEvents = 0
        /// Most events that ever waited at once.
        public var peakQueuedEvents = 0
    }

    public let mirror: RedisMirror
    /// Most events waiting before `isFull` (the consumer pauses its partitions past it).
    public let capacity: Int
    private let store: Store
    private let health: (@Sendable (_ service: String, _ end: Int64) -> String?)?
    private let condition = NSCondition()
    private var queue: [(events: [MetricEvent], now: Int64)] = []
    private var counters = Stats()
    private var busy = false
    /// Rounds the mirror thread completed (successful or not).
    private var rounds = 0
    private var closed = false
    /// A catch-up is wanted (the mirror is behind); tried at most once per `retryInterval`.
    private var retryPending = false
    private var lastNow: Int64 = 0
    private var nextRetry = Date.distantPast
    /// Seconds between catch-up attempts while Redis fails.
    public var retryInterval = 1.0
    /// When each service's health summary was last mirrored (ms); touched by the mirror thread only.
    private var lastHealth: [String: Int64] = [:]
    /// The data-quality report's JSON, written to `metrics:quality` at most every 5 s.
    private let quality: (@Sendable () -> [UInt8])?
    private var lastQuality: Int64?
    /// Where the mirror's outages and catch-ups are logged (once per transition, not per batch).
    public let logger: Logger
    /// Whether the last round failed; touched by the mirror thread only.
    private var failing = false

    /// Starts the mirror thread. `capacity` counts events (about 200 bytes each while queued).
    public init(
        mirror: RedisMirror, store: Store, capacity: Int = 50_000, health: (@Sendable (String, Int64) -> String?)? = nil,
        quality: (@Sendable () -> [UInt8])? = nil, logger: Logger = Logger(label: "metrics.redis-mirror")
    ) {
        self.mirror = mirror
        self.logger = logger
        self.quality = quality
        self.store = store
        self.capacity = max(1, capacity)
        self.health = health
        let thread = Thread { [self] in run() }
        thread.name = "redis-mirror"
        thread.start()
    }

    /// Queues a stored batch for Redis; never blocks (the caller checks `isFull` before polling more).
    public func submit(_ events: [MetricEvent], now: Int64) {
        guard !events.isEmpty else { return }
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return }
        if mirror.isBehind {
            // Redis is failing: the store holds the batch and the catch-up will rebuild from it,
            // so nothing is queued (an outage must not fill the queue and pause ingestion).
            if let oldest = events.lazy.map(\.timestamp).min() { mirror.markBehind(from: oldest) }
            retryPending = true
            lastNow = now
            condition.broadcast()
            return
        }
        queue.append((events, now))
        counters.queuedEvents += events.count
        counters.peakQueuedEvents = max(counters.peakQueuedEvents, counters.queuedEvents)
        condition.broadcast()
    }

    /// Whether the queue holds `capacity` events or more.
    public var isFull: Bool {
        condition.lock()
        defer { condition.unlock() }
        return counters.queuedEvents >= capacity
    }

    public var stats: Stats {
        condition.lock()
        defer { condition.unlock() }
        return counters
    }

    /// Waits until every submitted batch has been mirrored (or has failed), at most `timeout`
    /// seconds. Batches submitted while the mirror was behind are folded into the scheduled
    /// catch-up, so that attempt is waited for too (one attempt: a Redis that is still down
    /// does not hold `drain` until the timeout).
    @discardableResult
    public func drain(timeout: Double = 30) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        let target = retryPending ? rounds + 1 : rounds
        while !queue.isEmpty || busy || rounds < target {
            if !condition.wait(until: deadline) { return false }
        }
        return true
    }

    /// Mirrors what is queued, then stops the thread.
    public func close(timeout: Double = 30) {
        drain(timeout: timeout)
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !closed && !(retryPending && Date() >= nextRetry) {
                if retryPending { _ = condition.wait(until: nextRetry) } else { condition.wait() }
            }
            if queue.isEmpty && closed {
                condition.unlock()
                return
            }
            // Everything queued goes out in one round trip: a backlog shrinks instead of growing.
            let work = queue
            queue.removeAll()
            retryPending = false
            busy = true
            let now = work.last?.now ?? lastNow
            condition.unlock()
            let ok = mirrorBatch(work.flatMap(\.events), now: now)
            if ok == failing {
                failing = !ok
                if ok {
                    logger.info("Redis mirror caught up from the store")
                } else {
                    let reason = mirror.stats.lastError.map { "\($0)" } ?? "unknown error"
                    logger.warning("Redis mirror failed (\(reason)): the store keeps the data, lists are rebuilt when Redis answers")
                }
            }
            condition.lock()
            busy = false
            rounds += 1
            counters.queuedEvents -= work.reduce(0) { $0 + $1.events.count }
            if !ok {
                counters.failedBatches += max(1, work.count)
                retryPending = true
                nextRetry = Date(timeIntervalSinceNow: retryInterval)
            }
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Mirrors one batch (catching up first when an earlier one was missed); false when Redis
    /// is unreachable: the mirror counts the error and the data stays in the store.
    func mirrorBatch(_ events: [MetricEvent], now: Int64) -> Bool {
        var healthEntries: [(service: String, json: String)] = []
        if let health {
            // A summary per service at most once a second: it covers 1m/5m/1h windows, so
            // recomputing it for every batch would cost more than the batch itself.
            for service in Set(events.map(\.labels.serviceName)).sorted() where lastHealth[service].map({ now &- $0 >= 1000 }) ?? true {
                lastHealth[service] = now
                if let json = health(service, now) { healthEntries.append((service, json)) }
            }
        }
        if let behind = mirror.takeBehind() {
            // The store already holds this batch: rebuilding the lists from it covers the batch too.
            do {
                try mirror.rebuild(batch: try recent(touchedSince: behind))
                try mirror.mirror(batch: [], health: healthEntries)
                condition.lock()
                counters.catchUps += 1
                condition.unlock()
                return true
            } catch {
                mirror.markBehind(from: behind)
                return false
            }
        }
        do {
            try mirror.mirror(batch: events, health: healthEntries)
        } catch {
            return false
        }
        if let quality, lastQuality.map({ now &- $0 >= 5000 }) ?? true {
            lastQuality = now
            let ttl = RedisArgument.integer(Int64(mirror.config.ttlSeconds))
            try? mirror.execute([["SET", .string(RedisMirror.qualityKey), RedisArgument(quality()), "EX", ttl]])
        }
        return true
    }

    /// For every series written since `since`: its newest 1000 samples (what its Redis list
    /// holds), read from an hour before `since` on, so the rebuilt list is as full as before.
    private func recent(touchedSince since: Int64) throws -> [MetricEvent] {
        var out: [MetricEvent] = []
        for info in store.select([]) {
            let columns = try store.samples(info.ref, from: since &- StoreOptions.hour)
            guard let last = columns.timestamps.last, last >= since else { continue }
            for i in max(0, columns.count - 1000)..<columns.count {
                out.append(MetricEvent(labels: info.labels, timestamp: columns.timestamps[i], value: columns.values[i]))
            }
        }
        return out
    }
}
