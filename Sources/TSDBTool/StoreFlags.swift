import ArgumentParser
import TSDB

#if canImport(Glibc)
    import Glibc
#endif

/// The store options every command takes, as flags with environment-variable fallbacks
/// (`DATA_DIR`, `RETENTION_RAW`, `RETENTION_1M`, `RETENTION_1H`, `BLOCK_DURATION`,
/// `OUT_OF_ORDER_WINDOW`, `MAX_SERIES`, `MAX_HEAD_MB`), the same names the service reads.
struct StoreFlags: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Store directory (env DATA_DIR; default ./data).")
    var dataDir: String?

    @Option(name: .customLong("retention-raw"), help: "Raw sample retention, e.g. 24h; 0 keeps forever (env RETENTION_RAW).")
    var retentionRaw: String?

    @Option(name: .customLong("retention-1m"), help: "1-minute rollup retention, e.g. 7d (env RETENTION_1M).")
    var retention1m: String?

    @Option(name: .customLong("retention-1h"), help: "1-hour rollup retention, e.g. 90d (env RETENTION_1H).")
    var retention1h: String?

    @Option(name: .customLong("block-duration"), help: "Span of a raw block, e.g. 2h (env BLOCK_DURATION).")
    var blockDuration: String?

    @Option(name: .customLong("out-of-order-window"), help: "How late a sample may be, e.g. 1h (env OUT_OF_ORDER_WINDOW).")
    var outOfOrderWindow: String?

    @Option(name: .customLong("max-series"), help: "Cardinality cap (env MAX_SERIES).")
    var maxSeries: Int?

    @Option(name: .customLong("max-head-mb"), help: "Head memory bound in MiB (env MAX_HEAD_MB).")
    var maxHeadMB: Int?

    @Option(name: .customLong("fsync"), help: "always (durable acknowledgements) or never (bulk loads).")
    var fsync: String?

    static func env(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    var directory: String { dataDir ?? StoreFlags.env("DATA_DIR") ?? "data" }

    func options(defaultFsync: FsyncPolicy = .always) throws -> StoreOptions {
        var o = StoreOptions()
        let flags: [String: String?] = [
            "retention-raw": retentionRaw, "retention-1m": retention1m, "retention-1h": retention1h, "block-duration": blockDuration,
            "out-of-order-window": outOfOrderWindow, "max-series": maxSeries.map(String.init), "max-head-mb": maxHeadMB.map(String.init),
        ]
        for setting in StoreOptions.settings {
            let flag = flags[setting.flag] ?? nil
            guard let text = flag ?? StoreFlags.env(setting.variable) else { continue }
            guard setting.apply(text, to: &o) else {
                let source = flag != nil ? "--\(setting.flag)" : setting.variable
                throw ValidationError("\(source) '\(text)' is invalid: expected \(setting.expected)")
            }
        }
        o.fsync = defaultFsync
        if let f = fsync {
            guard let p = FsyncPolicy(rawValue: f) else { throw ValidationError("--fsync must be always or never") }
            o.fsync = p
        }
        do { try o.validate() } catch { throw ValidationError("\(error)") }
        return o
    }

    func open(defaultFsync: FsyncPolicy = .always) throws -> Store {
        let options = try options(defaultFsync: defaultFsync)
        do {
            let store = try Store(directory: directory, options: options)
            if let c = store.openReport.wal.corruption {
                Console.error("warning: WAL tail repaired: \(c)")
            }
            if let r = store.openReport.recoveredCompaction { Console.error("note: \(r)") }
            for c in store.openReport.corruptBlocks { Console.error("error: unreadable block skipped: \(c)") }
            return store
        } catch {
            throw CommandFailure("cannot open store \(directory): \(error)")
        }
    }
}

/// A failure already explained in its message; exits 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
