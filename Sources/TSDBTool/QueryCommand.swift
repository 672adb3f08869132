import ArgumentParser
import Query
import QueryHTTP
import TSDB

/// `tsdb query`: a PromQL expression answered from the command line, as a table or as the HTTP API's JSON.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Evaluate a PromQL expression: instant (at --time) or range (--from/--to/--step).",
        discussion: "Times are unix seconds, RFC 3339 (2025-11-28T10:00:00Z) or relative to now (now, now-1h, now-30m)."
    )

    @OptionGroup var store: StoreFlags

    @Argument(help: "PromQL expression, e.g. 'rate(http_requests_total[5m])'.")
    var expression: String

    @Option(help: "Evaluation time of an instant query (default: --to, else now).")
    var time: String?

    @Option(help: "Start of a range query; makes the query a range query.")
    var from: String?

    @Option(help: "End of a range query (default now).")
    var to: String?

    @Option(help: "Range query step: 15s, 1m, or seconds (default: (to - from) / 250, at least 1s).")
    var step: String?

    @OptionGroup var query: QueryFlags

    @Flag(help: "Print the JSON the HTTP API returns.")
    var json = false

    func run() throws {
        let now = PromTime.now()
        func parse(_ text: String?, _ name: String, default fallback: Int64) throws -> Int64 {
            guard let text else { return fallback }
            guard let t = PromTime.parseTime(text, now: now) else {
                throw ValidationError("--\(name) '\(text)' is not a time: use unix seconds, RFC 3339 or now-1h")
            }
            return t
        }
        let db = try store.open()
        defer { try? db.close() }
        let engine = PromQLEngine(store: db, options: query.options)
        let answer: (QueryValue, QueryStats)
        do {
            if from != nil {
                let start = try parse(from, "from", default: now)
                let end = try parse(to, "to", default: now)
                guard end >= start else { throw ValidationError("--to must not be before --from") }
                answer = try engine.range(expression, start: start, end: end, step: try stepMs(start: start, end: end))
            } else {
                answer = try engine.instant(expression, at: try parse(time ?? to, "time", default: now))
            }
        } catch let error as PromQLError {
            throw CommandFailure("\(expression): \(error.message)")
        }
        if json {
            Console.print(PromJSON.queryResponse(answer.0, answer.1))
            return
        }
        printTable(answer.0)
        let resolutions = answer.1.resolutions.map(\.description).sorted().joined(separator: ", ")
        let bound = answer.1.quantileErrorBound > 0 ? ", quantiles within \(PromFormat.value(answer.1.quantileErrorBound * 100))%" : ""
        Console.error("answered from \(resolutions.isEmpty ? "no data" : resolutions)\(bound)")
    }

    func stepMs(start: Int64, end: Int64) throws -> Int64 {
        guard let text = step else {
            let span = UInt64(bitPattern: end &- start)  // end >= start: exact even when it exceeds Int64
            return Int64(clamping: max(1000, (span / 250 + 999) / 1000 * 1000))
        }
        guard let ms = PromTime.parseDuration(text), ms > 0 else {
            throw ValidationError("--step '\(text)' must be a positive duration such as 15s, 1m or 60")
        }
        return ms
    }

    /// Columns: labels, ISO timestamp, value; one row per sample.
    func printTable(_ value: QueryValue) {
        var rows: [(String, Int64, String)] = []
        switch value {
        case .scalar(let t, let v): rows.append(("scalar", t, PromFormat.value(v)))
        case .string(let t, let v): rows.append(("string", t, v))
        case .vector(let samples): rows = samples.map { (text($0.labels), $0.t, PromFormat.value($0.v)) }
        case .matrix(let series):
            for s in series {
                let name = text(s.labels)
                for p in s.points { rows.append((name, p.t, PromFormat.value(p.v))) }
            }
        }
        guard !rows.isEmpty else {
            Console.print("(no data)")
            return
        }
        let width = max(6, rows.map(\.0.count).max() ?? 0)
        Console.print(pad("labels", width) + "  " + pad("timestamp", 24) + "  value")
        for (labels, t, v) in rows { Console.print(pad(labels, width) + "  " + pad(iso(t), 24) + "  " + v) }
    }

    /// `name{a="b", ...}`, or `{...}` when the name was dropped.
    func text(_ labels: Labels) -> String {
        let rest = labels.pairs.filter { $0.name != Labels.metricName }.map { "\($0.name)=\"\($0.value)\"" }
        return labels.metricType + "{" + rest.joined(separator: ", ") + "}"
    }

    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
}
