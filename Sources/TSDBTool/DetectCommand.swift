import Alerting
import ArgumentParser
import Foundation
import TSDB

#if canImport(Glibc)
    import Glibc
#endif

/// `tsdb detect`: scores a `timestamp,value` CSV with the anomaly alerter, one output row per input row.
struct DetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Score a timestamp,value CSV for anomalies: writes timestamp,value,anomaly_score,alert.",
        discussion: """
            Input: a header line timestamp,value, then one point per line; timestamps in epoch s/ms/µs/ns or \
            RFC 3339. Output (standard output): one row per input row in order, the score (0-1, 4 decimals) and \
            alert = 1 where a firing notification would be sent (after --for, dedup and --cooldown). A bad row stops \
            with 'tsdb detect: <file>:<line>: <reason>' on standard error and exit status 1 (rows before it are \
            written). Settings: the --settings file first, then the flags below override it (docs/ALERTS.md).
            """
    )

    @Option(help: "The CSV file ('-' or omitted: standard input).")
    var input = "-"

    @Option(
        help: ArgumentHelp(
            "JSON object of DetectorSettings fields (camelCase or snake_case; durations in ms or as '30m'); unknown keys are an error.",
            valueName: "file.json"))
    var settings: String?

    @Option(help: "Score above which an alert is pending/firing (default 0.8): lower catches weaker anomalies, more false alarms.")
    var alertScore: Double?

    @Option(help: "Score above which a firing alert is critical (default 0.95).")
    var criticalScore: Double?

    @Option(help: "A firing alert resolves below this score (default 0.5): lower holds incidents together, resolves later.")
    var resolveScore: Double?

    @Option(
        name: .customLong("for"),
        help: "How long the score must stay above --alert-score before firing (default 1m): longer ignores short blips, alerts later.",
        transform: DetectCommand.duration)
    var forDuration: Int64?

    @Option(
        help: "Minimum time between two alerts of the series (default 30m): longer means fewer repeats of one incident, may hide a second.",
        transform: DetectCommand.duration)
    var cooldown: Int64?

    @Option(
        help: "Recent past each point is compared with (default 1h): longer is steadier, slower to accept a new normal.",
        transform: DetectCommand.duration)
    var baselineWindow: Int64?

    @Flag(help: "Ignore time of day (no daily profile): for series without a daily cycle; drifts against previous days are missed.")
    var noSeasonal = false

    func validate() throws {
        let s = try detectorSettings()
        for (name, v) in [("alert", s.alertScore), ("critical", s.criticalScore), ("resolve", s.resolveScore)] where !(0...1).contains(v) {
            throw ValidationError("--\(name)-score must lie in 0...1")
        }
        guard s.resolveScore <= s.alertScore, s.alertScore <= s.criticalScore else {
            throw ValidationError(
                "scores must satisfy resolve <= alert <= critical (got \(s.resolveScore), \(s.alertScore), \(s.criticalScore))")
        }
        guard s.baselineWindow > 0 else { throw ValidationError("--baseline-window must be positive") }
    }

    func run() throws {
        let settings = try detectorSettings()
        let name = input == "-" ? "stdin" : input
        let bytes: [UInt8]
        do {
            bytes = input == "-" ? try Self.readStandardInput() : try FileSystem.posix.readFile(input)
        } catch {
            Console.error("tsdb detect: cannot read \(name): \(error)")
            throw ExitCode.failure
        }
        var out = BufferedStdout()
        do {
            try DetectCSV.run(input: String(decoding: bytes, as: UTF8.self), settings: settings, to: &out)
            out.flush()
        } catch {
            out.flush()
            Console.error("tsdb detect: \(name):\(error.line): \(error.reason)")
            throw ExitCode.failure
        }
    }

    /// Defaults, then the `--settings` file, then the flags.
    func detectorSettings() throws -> DetectorSettings {
        var s = try settings.map(Self.loadSettings) ?? DetectorSettings()
        if let alertScore { s.alertScore = alertScore }
        if let criticalScore { s.criticalScore = criticalScore }
        if let resolveScore { s.resolveScore = resolveScore }
        if let forDuration { s.forDuration = forDuration }
        if let cooldown { s.cooldown = cooldown }
        if let baselineWindow { s.baselineWindow = baselineWindow }
        if noSeasonal { s.seasonal = false }
        return s
    }

    static func duration(_ text: String) throws -> Int64 {
        guard let ms = StoreOptions.parseDuration(text) else { throw ValidationError("bad duration '\(text)' (e.g. 90s, 5m, 1h)") }
        return ms
    }

    /// Fields whose JSON value may also be a duration string.
    private static let durationKeys: Set<String> = ["baselineWindow", "longMemory", "varianceMemory", "forDuration", "cooldown"]

    /// The given keys over the defaults (so a partial object is enough); unknown keys are an error,
    /// so a typo cannot silently leave a default in place.
    static func loadSettings(path: String) throws -> DetectorSettings {
        do {
            let given = try JSONSerialization.jsonObject(with: Data(try FileSystem.posix.readFile(path)))
            guard let given = given as? [String: Any],
                var merged = try JSONSerialization.jsonObject(with: JSONEncoder().encode(DetectorSettings())) as? [String: Any]
            else { throw ValidationError("expected a JSON object") }
            for (key, value) in given {
                let name = camelCase(key)
                guard merged[name] != nil else { throw ValidationError("unknown key '\(key)'") }
                if let text = value as? String {
                    guard durationKeys.contains(name), let ms = StoreOptions.parseDuration(text) else {
                        throw ValidationError("bad value '\(text)' for '\(key)'")
                    }
                    merged[name] = ms
                } else {
                    merged[name] = value
                }
            }
            return try JSONDecoder().decode(DetectorSettings.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch {
            throw ValidationError("--settings \(path): \(error)")
        }
    }

    /// `alert_score` -> `alertScore`; camelCase passes through.
    static func camelCase(_ key: String) -> String {
        let parts = key.split(separator: "_")
        guard let first = parts.first else { return key }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    static func readStandardInput() throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress, $0.count) }
            if n == 0 { return bytes }
            if n < 0 {
                if errno == EINTR { continue }
                throw IOError("read", path: "stdin", errno: errno)
            }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }
}

/// Standard output through a 1 MiB buffer: one `write(2)` per MiB instead of per row.
struct BufferedStdout: TextOutputStream {
    private var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(1 << 20) }

    mutating func write(_ s: String) {
        bytes.append(contentsOf: s.utf8)
        if bytes.count >= 1 << 20 { flush() }
    }

    mutating func flush() {
        Console.writeStdout(bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}
