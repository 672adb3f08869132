import Foundation
import LocalRedis
import Testing

@testable import Consumer

struct RedisPoolTests {
    @Test func neverExceedsMaxUnderConcurrency() throws {
        let server = try RedisServer()
        let pool = RedisPool(options: server.options(), maxConnections: 3, checkoutTimeout: .seconds(10))
        let failures = FailureCounter()
        DispatchQueue.concurrentPerform(iterations: 12) { worker in
            for i in 0..<25 {
                do {
                    let reply = try pool.withConnection { c throws(RedisError) in
                        try c.command("INCR", "hits")
                    }
                    if reply.integer == nil { failures.add() }
                    if i % 5 == 0 { usleep(1000) }
                } catch {
                    failures.add()
                }
            }
            _ = worker
        }
        let stats = pool.stats
        #expect(failures.value == 0)
        #expect(stats.peakInUse <= 3 && stats.open <= 3 && stats.inUse == 0)
        let total = try pool.withConnection { c throws(RedisError) in try c.command("GET", "hits") }
        #expect(total == .string(Array("300".utf8)))
    }

    @Test func checkoutWaitIsBounded() throws {
        let server = try RedisServer()
        let pool = RedisPool(options: server.options(), maxConnections: 1, checkoutTimeout: .milliseconds(100))
        let held = try pool.checkout()
        #expect {
            try pool.checkout()
        } throws: { error in
            guard case .poolExhausted(_, let max, _) = error as? RedisError else { return false }
            return max == 1
        }
        pool.checkin(held)
        let again = try pool.checkout()
        #expect(again === held)
        pool.checkin(again)
    }

    @Test func failedConnectFreesTheSlot() throws {
        let port = try RedisServer.freePort()
        let pool = RedisPool(options: RedisOptions(port: port, connectTimeout: .milliseconds(200)), maxConnections: 1)
        for _ in 0..<3 {
            #expect(throws: RedisError.self) { try pool.checkout() }
        }
        #expect(pool.stats == RedisPool.Stats(open: 0, inUse: 0, peakInUse: 1))
    }
}

/// A thread-safe counter for failures seen on worker threads.
final class FailureCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
