import Foundation
import LocalRedis
import SeededRandom
import TSDB
import Testing

@testable import Consumer

struct RedisMirrorTests {
    static let base: Int64 = 1_700_000_000_000

    static func event(_ service: String, _ type: String, _ i: Int, host: String = "h1") -> MetricEvent {
        MetricEvent(
            labels: Labels(type: type, service: service, tags: ["host": host]),
            timestamp: base + Int64(i) * 1000, value: Double(i) * 0.5)
    }

    static func list(_ c: RedisConnection, _ key: String) throws -> [[String: Any]] {
        let reply = try c.command("LRANGE", .string(key), 0, -1)
        return (reply.elements ?? []).compactMap { element in
            guard case .string(let bytes) = element else { return nil }
            return (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
        }
    }

    @Test func shapeNewestFirstCappedWithTTL() throws {
        let server = try RedisServer()
        let pool = RedisPool(options: server.options(), maxConnections: 2)
        let mirror = RedisMirror(pool: pool, config: .init(ttlSeconds: 600, listLength: 1000, healthLength: 5))
        // 1500 samples of api/cpu in three batches, each batch shuffled; plus a second series.
        var rng = RedisTestRNG(seed: 42)
        for part in 0..<3 {
            var batch = (part * 500..<(part + 1) * 500).map { Self.event("api", "cpu", $0) }
            batch.shuffle(using: &rng)
            batch.append(Self.event("db", "mem", part))
            let health = (0..<4).map { (service: "api", json: "{\"status\":\"ok\",\"n\":\(part * 4 + $0)}") }
            try mirror.mirror(batch: batch, health: health)
        }
        let c = try RedisConnection(options: server.options())

        let cpu = try Self.list(c, RedisMirror.listKey(service: "api", type: "cpu"))
        #expect(cpu.count == 1000)
        for (k, object) in cpu.enumerated() {
            let i = 1499 - k  // newest first
            #expect(Set(object.keys) == ["service", "type", "value", "timestamp", "tags"])
            #expect(object["service"] as? String == "api" && object["type"] as? String == "cpu")
            #expect((object["timestamp"] as? NSNumber)?.int64Value == Self.base + Int64(i) * 1000)
            #expect((object["value"] as? NSNumber)?.doubleValue == Double(i) * 0.5)
            #expect(object["tags"] as? [String: String] == ["host": "h1"])
        }
        let mem = try Self.list(c, RedisMirror.listKey(service: "db", type: "mem"))
        #expect(mem.compactMap { ($0["timestamp"] as? NSNumber)?.int64Value } == [2, 1, 0].map { Self.base + $0 * 1000 })

        for key in [RedisMirror.listKey(service: "api", type: "cpu"), RedisMirror.latestKey(service: "api", type: "cpu")] {
            let ttl = try c.command("TTL", .string(key)).integer ?? -99
            #expect(ttl > 0 && ttl <= 600, "\(key) ttl \(ttl)")
        }
        let latest = try c.command("GET", .string(RedisMirror.latestKey(service: "api", type: "cpu")))
        var expected: [UInt8] = []
        EventWriter.appendLine(Self.event("api", "cpu", 1499), to: &expected)
        #expect(latest == .string(Array(expected.dropLast())))

        let health = try Self.list(c, RedisMirror.healthKey(service: "api"))
        #expect(health.compactMap { $0["n"] as? Int } == [11, 10, 9, 8, 7])

        let stats = mirror.stats
        #expect(stats.batchesMirrored == 3 && stats.errors == 0 && stats.lastError == nil && !mirror.isBehind)
        #expect(stats.commandsSent == 3 * (4 + 4 + 2))  // two series and one health service per batch
    }

    @Test func oneBatchLargerThanTheCap() throws {
        let server = try RedisServer()
        let mirror = RedisMirror(pool: RedisPool(options: server.options()), config: .init(ttlSeconds: 60))
        try mirror.mirror(batch: (0..<1500).map { Self.event("api", "lat", $0) }, health: [])
        let c = try RedisConnection(options: server.options())
        let list = try Self.list(c, RedisMirror.listKey(service: "api", type: "lat"))
        #expect(list.count == 1000)
        #expect((list.first?["timestamp"] as? NSNumber)?.int64Value == Self.base + 1499 * 1000)
        #expect((list.last?["timestamp"] as? NSNumber)?.int64Value == Self.base + 500 * 1000)
    }

    @Test func outageThrowsCountsAndRecovers() throws {
        let server = try RedisServer()
        let pool = RedisPool(options: server.options(), maxConnections: 2)
        let mirror = RedisMirror(pool: pool, config: .init(ttlSeconds: 60))
        try mirror.mirror(batch: (0..<10).map { Self.event("api", "cpu", $0) }, health: [])

        server.stop()
        let missed = (10..<20).map { Self.event("api", "cpu", $0) }
        #expect(throws: RedisError.self) { try mirror.mirror(batch: missed, health: []) }
        #expect(throws: RedisError.self) { try mirror.mirror(batch: missed, health: []) }
        var stats = mirror.stats
        #expect(stats.errors == 2 && stats.batchesMirrored == 1)
        #expect(stats.lastError?.endpoint == "127.0.0.1:\(server.port)")
        #expect(mirror.isBehind && stats.behindSince == Self.base + 10 * 1000)

        try server.restart()
        try mirror.mirror(batch: (20..<30).map { Self.event("api", "cpu", $0) }, health: [])
        stats = mirror.stats
        #expect(stats.batchesMirrored == 2 && stats.errors == 2)

        // Catch-up: take the mark and rebuild the list from "the store" (here the whole range).
        let since = try #require(mirror.takeBehind())
        #expect(!mirror.isBehind)
        let fromStore = (0..<30).map { Self.event("api", "cpu", $0) }.filter { $0.timestamp >= since - 10 * 1000 }
        try mirror.rebuild(batch: fromStore)
        let c = try RedisConnection(options: server.options())
        let list = try Self.list(c, RedisMirror.listKey(service: "api", type: "cpu"))
        #expect(list.compactMap { ($0["timestamp"] as? NSNumber)?.int64Value } == (0..<30).reversed().map { Self.base + Int64($0) * 1000 })
    }

    @Test func errorReplyCountsAsFailure() throws {
        let server = try RedisServer()
        let mirror = RedisMirror(pool: RedisPool(options: server.options()), config: .init(ttlSeconds: 60))
        let c = try RedisConnection(options: server.options())
        #expect(try c.command("SET", .string(RedisMirror.listKey(service: "api", type: "cpu")), "not a list") == .status("OK"))
        #expect {
            try mirror.mirror(batch: [Self.event("api", "cpu", 5)], health: [])
        } throws: { error in
            guard case .commandFailed(_, let message) = error as? RedisError else { return false }
            return message.hasPrefix("WRONGTYPE")
        }
        #expect(mirror.stats.errors == 1 && mirror.stats.behindSince == Self.base + 5000)
    }

    @Test func behindMarkKeepsTheOldest() {
        let mirror = RedisMirror(pool: RedisPool(options: RedisOptions()), config: .init(ttlSeconds: 60))
        #expect(!mirror.isBehind && mirror.takeBehind() == nil)
        mirror.markBehind(from: 500)
        mirror.markBehind(from: 200)
        mirror.markBehind(from: 900)
        #expect(mirror.isBehind && mirror.takeBehind() == 200)
        #expect(!mirror.isBehind && mirror.takeBehind() == nil)
    }
}

/// SplitMix64, seeded (the shared test generator).
typealias RedisTestRNG = SeededRandom
