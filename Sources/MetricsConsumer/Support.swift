import Consumer
import Dispatch
import Foundation
import TSDB

#if canImport(Glibc)
    import Glibc
#endif

enum Log {
    static func info(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
    static func error(_ s: String) { FileHandle.standardError.write(Data(("error: " + s + "\n").utf8)) }
}

enum Clock {
    static func nowMs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}

enum ProcessEnvironment {
    static func all() -> [String: String] { ProcessInfo.processInfo.environment }
}

enum Listen {
    struct Invalid: Error, CustomStringConvertible { var description: String }

    /// `host:port` (HTTP_LISTEN).
    static func parse(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw Invalid(description: "HTTP_LISTEN=\(text) is invalid: expected host:port, e.g. 127.0.0.1:9091")
        }
        let host = String(text[..<colon])
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}

enum RedisSetup {
    /// The mirror when REDIS_URL is set; none otherwise (the store alone is the truth).
    static func mirror(_ config: ConsumerConfig) throws -> RedisMirror? {
        guard let url = config.redisURL else {
            Log.info("REDIS_URL not set: the Redis mirror is off")
            return nil
        }
        let parsed = try RedisURL(parsing: url)
        let pool = RedisPool(options: RedisOptions(url: parsed), maxConnections: config.maxRedisConnections)
        Log.info("mirroring to Redis at \(parsed.host):\(parsed.port) db \(parsed.database)")
        return RedisMirror(pool: pool, config: .init(ttlSeconds: config.redisMetricsTTL))
    }
}

/// SIGINT/SIGTERM call `onSignal` once (on a Dispatch queue, not in the signal handler).
final class SignalWatcher: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(_ onSignal: @escaping @Sendable () -> Void) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                Log.info("signal \(sig): finishing the batch, committing offsets")
                onSignal()
            }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() { for s in sources { s.cancel() } }
}

/// Prints a live line every few seconds: events/s, stored, rejected, lag, Redis commands.
final class StatusLine: @unchecked Sendable {
    private let service: ConsumerService
    private let mirror: MirrorStage?
    private let redisHint: String?
    private let httpPort: Int
    private var timer: DispatchSourceTimer?
    private var last = (time: ProcessStats.now(), messages: 0)

    init(service: ConsumerService, mirror: MirrorStage?, redisHint: String?, httpPort: Int) {
        self.service = service
        self.mirror = mirror
        self.redisHint = redisHint
        self.httpPort = httpPort
    }

    func start() {
        let t = DispatchSource.makeTimerSource(queue: .global())
        t.schedule(deadline: .now() + 5, repeating: 5)
        t.setEventHandler { [self] in tick() }
        t.resume()
        timer = t
    }

    func stop() { timer?.cancel() }

    private func tick() {
        let s = service.stats
        let now = ProcessStats.now()
        let rate = Double(s.messages - last.messages) / max(0.001, now - last.time)
        last = (now, s.messages)
        var line = "events/s \(Int(rate)) | stored \(s.stored) | rejected \(s.rejected) | lag \(s.totalLag) | batches \(s.batches)"
        if let mirror {
            let m = mirror.mirror.stats
            line += " | redis commands \(m.commandsSent), errors \(m.errors)\(m.behindSince == nil ? "" : " (behind, catching up)")"
        }
        line += " | query: curl 'http://127.0.0.1:\(httpPort)/api/v1/health/recommendation-api'"
        if redisHint != nil { line += " | redis-cli LRANGE metrics:recommendation-api:api_latency_ms 0 4" }
        Log.info(line)
    }
}
