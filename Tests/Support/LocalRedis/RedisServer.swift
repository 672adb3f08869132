import Consumer
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real redis-server on a free loopback port for a test or benchmark; killed when released.
/// Supports `requirepass` and stop/restart on the same port (outage tests).
public final class RedisServer: @unchecked Sendable {
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    public let port: Int
    public let password: String?
    private let directory: URL
    private var process: Process?

    /// Starts a server; retries on another port if a racing process took the free one.
    public init(password: String? = nil) throws {
        self.password = password
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var lastError: Error = StartError(description: "no attempt")
        for _ in 0..<3 {
            let candidate = try Self.freePort()
            do {
                process = try Self.launch(port: candidate, password: password, directory: directory)
                port = candidate
                return
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Options for this server with short timeouts, so failures show quickly.
    public func options(password: String? = nil, database: Int = 0) -> RedisOptions {
        RedisOptions(
            host: "127.0.0.1", port: port, password: password ?? self.password, database: database,
            connectTimeout: .milliseconds(500), commandTimeout: .seconds(2))
    }

    /// Kills the server (SIGKILL: an abrupt outage) and waits for it to exit.
    public func stop() {
        guard let process else { return }
        resume()
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        self.process = nil
    }

    /// Freezes the server (SIGSTOP): connections stay open but nothing answers, as with an overloaded Redis.
    public func suspend() {
        if let process, process.isRunning { kill(process.processIdentifier, SIGSTOP) }
    }

    /// Lets a suspended server run again (SIGCONT).
    public func resume() {
        if let process, process.isRunning { kill(process.processIdentifier, SIGCONT) }
    }

    /// Starts the server again on the same port.
    public func restart() throws {
        stop()
        process = try Self.launch(port: port, password: password, directory: directory)
    }

    private static func launch(port: Int, password: String?, directory: URL) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        var arguments = [
            "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", directory.path, "--daemonize", "no", "--loglevel", "warning", "--enable-debug-command", "yes",
        ]
        if let password { arguments += ["--requirepass", password] }
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Bounded wait until PING answers: 200 tries, 25 ms apart.
        let probe = RedisOptions(
            host: "127.0.0.1", port: port, password: password, connectTimeout: .milliseconds(200), commandTimeout: .seconds(1))
        for _ in 0..<200 {
            if !p.isRunning { break }
            if let connection = try? RedisConnection(options: probe), (try? connection.command("PING")) == .status("PONG") {
                return p
            }
            usleep(25_000)
        }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        throw StartError(description: "redis-server on port \(port) did not answer PING")
    }

    /// A port the kernel considers free right now (bind to port 0, read it back, close).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StartError(description: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, length) == 0 && getsockname(fd, sa, &length) == 0
            }
        }
        guard bound else { throw StartError(description: "bind to port 0 failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
