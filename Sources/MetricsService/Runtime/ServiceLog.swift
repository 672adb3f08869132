import Foundation
import Logging
import Synchronization

/// The process's logging: swift-log to standard error.
public enum ServiceLog {
    private static let bootstrapped = Mutex(false)

    /// Points swift-log at standard error at `level` (once per process; later calls only make a
    /// logger) and returns the service's logger, `metrics-consumer`.
    public static func bootstrap(level: Logger.Level) -> Logger {
        bootstrapped.withLock { done in
            guard !done else { return }
            done = true
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        var logger = Logger(label: "metrics-consumer")
        logger.logLevel = level
        return logger
    }
}

/// Wall-clock milliseconds since the epoch.
public enum ServiceClock {
    public static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}
