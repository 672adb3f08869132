import Consumer
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A throwaway `redis-server` on a loopback port for the consumer benchmark (nil when
/// `redis-server` is not on PATH or does not come up); killed on `stop`.
final class BenchRedisServer {
    let port: Int
    private let process: Process

    static func start() -> BenchRedisServer? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
            .map { $0 + "/redis-server" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else { return nil }
        for _ in 0..<3 {
            let port = Int.random(in: 20_000...60_000)
            if let server = BenchRedisServer(path: path, port: port) { return server }
        }
        return nil
    }

    private init?(path: String, port: Int) {
        self.port = port
        process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [
            "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
            "--loglevel", "warning", "--dir", NSTemporaryDirectory(),
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        // Bounded wait for PING: 200 tries, 25 ms apart.
        for _ in 0..<200 {
            if !process.isRunning { return nil }
            if let c = try? RedisConnection(options: options), (try? c.command("PING")) == .status("PONG") { return }
            usleep(25_000)
        }
        stop()
        return nil
    }

    var options: RedisOptions {
        RedisOptions(host: "127.0.0.1", port: port, connectTimeout: .milliseconds(200), commandTimeout: .seconds(5))
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
