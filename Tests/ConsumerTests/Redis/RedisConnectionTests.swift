import LocalRedis
import Testing

@testable import Consumer

struct RedisConnectionTests {
    @Test func pipelineRoundTrip() throws {
        let server = try RedisServer()
        let c = try RedisConnection(options: server.options())
        let binary: [UInt8] = [0, 1, 2, 0xFF, 0x0A, 0x0D, 0x22]
        let replies = try c.pipeline([
            ["SET", "k", "v"],
            ["GET", "k"],
            ["SET", "bin", RedisArgument(binary)],
            ["GET", "bin"],
            ["GET", "missing"],
            ["LPUSH", "l", "a", "b", "c"],
            ["LRANGE", "l", 0, -1],
            ["EXPIRE", "l", 100],
            ["TTL", "l"],
            ["INCRBY", "n", -5],
            ["LPUSH", "k", "x"],
            ["SET", "empty", ""],
            ["GET", "empty"],
        ])
        #expect(replies.count == 13)
        #expect(replies[0] == .status("OK"))
        #expect(replies[1] == .string(Array("v".utf8)))
        #expect(replies[3] == .string(binary))
        #expect(replies[4] == .nil)
        #expect(replies[5] == .integer(3))
        #expect(replies[6] == .array(["c", "b", "a"].map { .string(Array($0.utf8)) }))
        #expect(replies[7] == .integer(1))
        #expect((replies[8].integer ?? 0) > 0 && (replies[8].integer ?? 0) <= 100)
        #expect(replies[9] == .integer(-5))
        #expect(replies[10].errorMessage?.hasPrefix("WRONGTYPE") == true)
        #expect(replies[12] == .string([]))
        // An error reply leaves the connection usable.
        #expect(try c.command("PING") == .status("PONG"))
        #expect(try c.pipeline([]) == [])
    }

    @Test func authAndSelect() throws {
        let server = try RedisServer(password: "t0p-secret")
        let db3 = try RedisConnection(options: server.options(database: 3))
        #expect(try db3.command("SET", "where", "three") == .status("OK"))
        let db0 = try RedisConnection(options: server.options())
        #expect(try db0.command("GET", "where") == .nil)
        #expect(try db0.command("SELECT", 3) == .status("OK"))
        #expect(try db0.command("GET", "where") == .string(Array("three".utf8)))

        #expect {
            try RedisConnection(options: server.options(password: "wrong"))
        } throws: { error in
            guard case .authenticationFailed(let endpoint, _) = error as? RedisError else { return false }
            return endpoint == "127.0.0.1:\(server.port)"
        }
        var noPassword = server.options()
        noPassword.password = nil
        let anonymous = try RedisConnection(options: noPassword)
        #expect(try anonymous.command("GET", "where").errorMessage?.hasPrefix("NOAUTH") == true)
        #expect {
            try RedisConnection(options: server.options(database: 99))
        } throws: { error in
            guard case .commandFailed(_, let message) = error as? RedisError else { return false }
            return message.contains("SELECT 99")
        }
    }

    @Test func refusedNamesEndpointAndHint() throws {
        let port = try RedisServer.freePort()  // nothing listens there
        let options = RedisOptions(host: "127.0.0.1", port: port, connectTimeout: .milliseconds(300))
        #expect {
            try RedisConnection(options: options)
        } throws: { error in
            guard let e = error as? RedisError, case .connectionRefused = e else { return false }
            return e.description.contains("127.0.0.1:\(port)") && e.description.contains("hint")
        }
    }

    @Test func reconnectsAfterServerRestart() throws {
        let server = try RedisServer()
        let c = try RedisConnection(options: server.options())
        #expect(try c.command("SET", "a", "1") == .status("OK"))
        server.stop()
        #expect(throws: RedisError.self) { try c.command("PING") }
        #expect(!c.isConnected)
        try server.restart()
        #expect(try c.command("PING") == .status("PONG"))
        // A connection idle across a restart notices the hang-up before sending.
        server.stop()
        try server.restart()
        #expect(try c.command("PING") == .status("PONG"))
    }

    @Test func commandTimeout() throws {
        let server = try RedisServer()
        var options = server.options()
        options.commandTimeout = .milliseconds(200)
        let c = try RedisConnection(options: options)
        #expect {
            try c.command("DEBUG", "SLEEP", "1")
        } throws: { error in
            guard case .timeout = error as? RedisError else { return false }
            return true
        }
        // Wait out the sleeping server (bounded), then the connection works again.
        var pong = false
        for _ in 0..<40 where !pong {
            pong = (try? c.command("PING")) == .status("PONG")
        }
        #expect(pong)
    }
}
