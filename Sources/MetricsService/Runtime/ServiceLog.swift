import Foundation
import Logging

/// The service's logger (swift-log, to standard error; `LOG_LEVEL` = trace...critical, default info).
public enum ServiceLog {
    public static let logger: Logger = {
        let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "metrics-consumer")
        logger.logLevel = level
        return logger
    }()

    public static func info(_ message: String) { logger.info("\(message)") }
    public static func warning(_ message: String) { logger.warning("\(message)") }
    public static func error(_ message: String) { logger.error("\(message)") }
}

/// Wall-clock milliseconds since the epoch.
public enum ServiceClock {
    public static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}

/// `host:port` (HTTP_LISTEN).
public enum Listen {
    public struct Invalid: Error, CustomStringConvertible { public var description: String }

    public static func parse(_ text: String) throws(Invalid) -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw Invalid(description: "HTTP_LISTEN=\(text) is invalid: expected host:port, e.g. 127.0.0.1:9091")
        }
        let host = String(text[..<colon])
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}
