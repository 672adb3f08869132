import Foundation
import Synchronization

/// One delivery attempt.
public struct DeliveryRecord: Sendable, Equatable, Codable {
    public var notifier: String
    public var key: String
    public var rule: String
    /// 1-based attempt number.
    public var attempt: Int
    /// Wall-clock time of the attempt's start (ms).
    public var at: Int64
    /// HTTP status, nil when the request did not get a response.
    public var statusCode: Int?
    public var error: String?
    public var latencyMs: Double
    public var success: Bool
    /// Delay before the next attempt (ms); nil when no retry follows.
    public var retryInMs: Int64?

    enum CodingKeys: String, CodingKey {
        case notifier, key, rule, attempt, at
        case statusCode = "status_code"
        case error
        case latencyMs = "latency_ms"
        case success
        case retryInMs = "retry_in_ms"
    }
}

/// A bounded in-memory log of delivery attempts, optionally mirrored to an append-only JSON-lines file.
public final class DeliveryLog: Sendable {
    public let capacity: Int
    public let path: String?
    private struct State {
        var records: [DeliveryRecord] = []
        var head = 0
        var total = 0
        var fileErrors = 0
        var fd: Int32 = -1
    }
    private let state: Mutex<State>

    /// A log keeping the last `capacity` records; with `path`, every record is also appended there.
    public init(capacity: Int = 1_000, path: String? = nil) {
        self.capacity = max(1, capacity)
        self.path = path
        var s = State()
        if let path { s.fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644) }
        if path != nil && s.fd < 0 { s.fileErrors = 1 }
        state = Mutex(s)
    }

    deinit {
        state.withLock { if $0.fd >= 0 { _ = close($0.fd) } }
    }

    /// Adds a record (dropping the oldest beyond `capacity`) and appends it to the file.
    public func append(_ r: DeliveryRecord) {
        let line: Data? = path == nil ? nil : (try? JSONEncoder().encode(r)).map { $0 + [0x0A] }
        state.withLock { s in
            s.total += 1
            if s.records.count < capacity {
                s.records.append(r)
            } else {
                s.records[s.head] = r
                s.head = (s.head + 1) % capacity
            }
            guard s.fd >= 0, let line else { return }
            // One write(2) per line: O_APPEND keeps concurrent writers' lines whole.
            let written = line.withUnsafeBytes { write(s.fd, $0.baseAddress, $0.count) }
            if written != line.count { s.fileErrors += 1 }
        }
    }

    /// The kept records, oldest first.
    public var records: [DeliveryRecord] {
        state.withLock { s in Array(s.records[s.head...] + s.records[..<s.head]) }
    }

    /// Records ever appended (including those dropped from memory).
    public var total: Int { state.withLock { $0.total } }

    /// Failed opens or short writes of the file.
    public var fileErrors: Int { state.withLock { $0.fileErrors } }
}
