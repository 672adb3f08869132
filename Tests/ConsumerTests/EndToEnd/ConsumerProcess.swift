import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The built `metrics-consumer` executable as a child process (it sits next to the test
/// bundle in `.build/<config>/`), with its stderr in a log file for failure messages.
final class ConsumerProcess {
    static var path: String? {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [bundle, bundle.deletingLastPathComponent()] {
            let candidate = dir.appendingPathComponent("metrics-consumer").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    let process = Process()
    let logPath: String

    /// Starts `executable` with exactly `environment` (plus PATH), so no REDIS_URL or other
    /// setting of the test's own environment leaks in.
    init(executable: String, environment: [String: String], logPath: String) throws {
        self.logPath = logPath
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        process.executableURL = URL(fileURLWithPath: executable)
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { a, _ in a }
        process.standardOutput = log
        process.standardError = log
        try process.run()
        try log.close()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Sends `signal` and waits (bounded) for the exit; false if it is still running.
    func signal(_ signal: Int32, wait limit: Duration = .seconds(30)) -> Bool {
        kill(process.processIdentifier, signal)
        guard waitUntil(limit, { !process.isRunning }) else { return false }
        process.waitUntilExit()
        return true
    }

    /// The last `n` characters of the child's log.
    func logTail(_ n: Int = 1500) -> String {
        String((try? String(contentsOfFile: logPath, encoding: .utf8))?.suffix(n) ?? "")
    }

    /// `consumer_messages_total` from the child's `/metrics` (its port read from the log line
    /// "query API on http://127.0.0.1:<port>/..."); nil until it answers.
    func messagesProcessed() -> Int? {
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        guard let marker = log.range(of: "query API on http://127.0.0.1:") else { return nil }
        let port = log[marker.upperBound...].prefix { $0.isNumber }
        guard let url = URL(string: "http://127.0.0.1:\(port)/metrics"), let data = try? Data(contentsOf: url) else { return nil }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix("consumer_messages_total ") {
            return Double(line.dropFirst("consumer_messages_total ".count)).map { Int($0) }
        }
        return nil
    }

    /// Total bytes in the store's WAL segments under `dataDirectory` (grows as batches land).
    static func walBytes(_ dataDirectory: String) -> Int {
        let wal = dataDirectory + "/wal"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: wal)) ?? []
        return names.reduce(0) { sum, name in
            sum + ((try? FileManager.default.attributesOfItem(atPath: wal + "/" + name)[.size] as? Int) ?? 0)
        }
    }
}
