import Consumer
import Dispatch
import Foundation
import Logging
import TSDB

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT/SIGTERM call `onStop`, SIGHUP `onReload` (on a Dispatch queue, not in the signal handler).
final class SignalWatcher: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(logger: Logger, onStop: @escaping @Sendable () -> Void, onReload: @escaping @Sendable () -> Void) {
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                if sig == SIGHUP {
                    onReload()
                } else {
                    logger.info("signal \(sig): finishing the batch, committing offsets")
                    onStop()
                }
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
    private let redisPort: Int?
    private let httpPort: Int
    private let logger: Logger
    private var timer: DispatchSourceTimer?
    private var last = (time: ProcessStats.now(), messages: 0)
    private var hintShown = false

    init(service: ConsumerService, mirror: MirrorStage?, redisPort: Int?, httpPort: Int, logger: Logger) {
        self.logger = logger
        self.service = service
        self.mirror = mirror
        self.redisPort = redisPort
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
            line += " | redis keys written \(m.keysWritten), errors \(m.errors)\(m.behindSince == nil ? "" : " (behind, catching up)")"
        }
        logger.info("\(line)")
        if !hintShown {
            hintShown = true
            if let redisPort { logger.info("look: redis-cli -p \(redisPort) LRANGE metrics:recommendation-api:api_latency_ms 0 4") }
            logger.info(
                "look: curl http://127.0.0.1:\(httpPort)/api/v1/health/recommendation-api   (also /api/v1/alerts, /api/v1/quality, /metrics)"
            )
        }
    }
}
