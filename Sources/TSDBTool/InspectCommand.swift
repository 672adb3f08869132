import ArgumentParser
import TSDB

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "List blocks, series and sizes, with bytes per sample."
    )

    @OptionGroup var store: StoreFlags

    @Flag(help: "Print a JSON object (samples, raw_bytes, rollup_bytes, wal_bytes, total_bytes, ...).")
    var json = false

    func run() throws {
        let db = try store.open()
        let inv = db.inventory()
        let byKind = try db.columnBytesByKind()
        try db.close()
        let bps = inv.samples > 0 ? Double(inv.rawBytes) / Double(inv.samples) : 0
        if json {
            var kinds: [String] = []
            for (k, v) in byKind.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                let per = v.samples > 0 ? Double(v.bytes) / Double(v.samples) : 0
                kinds.append("\"\(k.rawValue)\":{\"samples\":\(v.samples),\"column_bytes\":\(v.bytes),\"bytes_per_sample\":\(per)}")
            }
            let counts =
                "\"total_bytes\":\(inv.totalBytes),\"bytes_per_sample\":\(bps),\"files\":\(inv.files),"
                + "\"blocks_by_level\":{\(blocksByLevelJSON(inv))},"
            Console.print(
                "{\"samples\":\(inv.samples),\"head_samples\":\(inv.headSamples),\"series\":\(inv.series),"
                    + "\"raw_blocks\":\(inv.rawBlocks.count),\"rollup_blocks\":\(inv.rollupBlocks.count),"
                    + "\"raw_bytes\":\(inv.rawBytes),\"rollup_bytes\":\(inv.rollupBytes),\"wal_bytes\":\(inv.walBytes),"
                    + counts + "\"by_kind\":{\(kinds.joined(separator: ","))}}")
            return
        }
        Console.print("store \(store.directory): \(inv.series) series, \(inv.samples) samples in blocks, \(inv.headSamples) in the head")
        Console.print(
            pad("block", 62) + pad("kind", 8) + pad("from (UTC)", 21) + pad("to (UTC)", 21) + pad("series", 8) + pad("samples", 12)
                + pad("bytes", 12) + "B/sample")
        for b in inv.rawBlocks + inv.rollupBlocks {
            let kind = b.meta.kind == .raw ? "raw L\(b.meta.level)" : "rollup \(StoreOptions.formatDuration(b.meta.resolution))"
            let per = b.meta.samples > 0 ? Console.format(Double(b.bytes) / Double(b.meta.samples), 3) : "-"
            let name = String(b.path.split(separator: "/").suffix(2).joined(separator: "/"))
            Console.print(
                pad(name, 62) + pad(kind, 8) + pad(iso(b.meta.minT), 21) + pad(iso(b.meta.maxT), 21) + pad("\(b.meta.series)", 8)
                    + pad("\(b.meta.samples)", 12) + pad("\(b.bytes)", 12) + per)
        }
        Console.print(
            "raw: \(inv.rawBytes) bytes, \(Console.format(bps, 3)) bytes/sample; rollups: \(inv.rollupBytes) bytes; WAL: \(inv.walBytes) bytes; total: \(inv.totalBytes) bytes; \(inv.files) files"
        )
        for (k, v) in byKind.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where v.samples > 0 {
            Console.print(
                "  \(k.rawValue): \(v.samples) samples, \(Console.format(Double(v.bytes) / Double(v.samples), 3)) column bytes/sample")
        }
    }

    /// `"raw":{"1":3,"2":5},"1m":{"1":2}`: blocks per kind and level.
    private func blocksByLevelJSON(_ inv: StoreInventory) -> String {
        Dictionary(grouping: inv.blocksByLevel, by: { $0.key.kind }).sorted { $0.key < $1.key }.map { kind, entries in
            let levels = entries.sorted { $0.key.level < $1.key.level }.map { "\"\($0.key.level)\":\($0.value)" }
            return "\"\(kind)\":{" + levels.joined(separator: ",") + "}"
        }.joined(separator: ",")
    }

    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
}

/// `2025-11-28T00:00:00.000Z` for an epoch-ms timestamp (proleptic Gregorian, UTC).
func iso(_ ms: Int64) -> String {
    let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
    let millis = ms - seconds * 1000
    var days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
    let secs = seconds - days * 86400
    days += 719_468
    let era = (days >= 0 ? days : days - 146_096) / 146_097
    let doe = days - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
    func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
    let ms3 = millis < 10 ? "00\(millis)" : (millis < 100 ? "0\(millis)" : "\(millis)")
    return "\(y)-\(two(m))-\(two(d))T\(two(secs / 3600)):\(two(secs % 3600 / 60)):\(two(secs % 60)).\(ms3)Z"
}
