import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why the DLQ file sink failed: the path, the operation and errno.
public struct DeadLetterFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var errno: Int32

    public var description: String { "dead-letter file \(path): \(operation) failed: \(String(cString: strerror(errno)))" }
}

/// Appends dead letters as JSON lines to `<dataDir>/dlq/<topic>.jsonl`: the fallback when the
/// `<topic>.dlq` Kafka topic cannot be written. `append` buffers; `flush` writes and fsyncs, so
/// a record is durable once `flush` returns. Thread-safe.
public final class DeadLetterFileSink: Sendable {
    /// Directory under the data directory holding the DLQ files.
    public static let directoryName = "dlq"
    /// Extension of one DLQ file (one JSON record per line).
    public static let fileExtension = "jsonl"

    public let directory: String
    private let state = Mutex(State())

    private struct State {
        var files: [String: Int32] = [:]
        var pending: [String: [UInt8]] = [:]
    }

    public init(dataDirectory: String) {
        directory = dataDirectory + "/" + Self.directoryName
    }

    deinit {
        state.withLock { s in
            for fd in s.files.values { close(fd) }
        }
    }

    /// The file that holds `topic`'s dead letters (characters outside `[A-Za-z0-9._-]` become `_`).
    public func path(forTopic topic: String) -> String {
        let safe = String(
            String.UnicodeScalarView(
                topic.unicodeScalars.map { s in
                    s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "." || s == "_" || s == "-") ? s : "_"
                }))
        let name = safe.isEmpty || safe.allSatisfy({ $0 == "." }) ? "_" + safe : safe
        return directory + "/" + name + "." + Self.fileExtension
    }

    /// Buffers one record (durable after the next `flush`).
    public func append(_ letter: DeadLetter) {
        var line = letter.json()
        line.append(0x0A)
        state.withLock { s in s.pending[letter.topic, default: []].append(contentsOf: line) }
    }

    /// Writes every buffered record and fsyncs the files written. On failure the unwritten
    /// records stay buffered for the next attempt.
    public func flush() throws(DeadLetterFileError) {
        try state.withLock { (s: inout State) throws(DeadLetterFileError) in
            for topic in s.pending.keys.sorted() {
                guard let bytes = s.pending[topic], !bytes.isEmpty else { continue }
                let fd = try file(for: topic, &s)
                let p = path(forTopic: topic)
                var written = 0
                while written < bytes.count {
                    let n = bytes.withUnsafeBytes { buf in
                        buf.baseAddress.map { write(fd, $0 + written, buf.count - written) } ?? 0
                    }
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else {
                        s.pending[topic] = Array(bytes[written...])
                        throw DeadLetterFileError(path: p, operation: "write", errno: errno)
                    }
                    written += n
                }
                s.pending[topic] = []
                guard fsync(fd) == 0 else { throw DeadLetterFileError(path: p, operation: "fsync", errno: errno) }
            }
        }
    }

    /// The open descriptor for `topic`, creating the directory and file (fsyncing the
    /// directory so the new entry survives a crash) on first use.
    private func file(for topic: String, _ s: inout State) throws(DeadLetterFileError) -> Int32 {
        if let fd = s.files[topic] { return fd }
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw DeadLetterFileError(path: directory, operation: "mkdir", errno: errno)
        }
        let p = path(forTopic: topic)
        let fd = open(p, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DeadLetterFileError(path: p, operation: "open", errno: errno) }
        let dir = open(directory, O_RDONLY | O_CLOEXEC)
        if dir >= 0 {
            _ = fsync(dir)
            close(dir)
        }
        s.files[topic] = fd
        return fd
    }
}
