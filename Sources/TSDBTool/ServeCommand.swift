import ArgumentParser
import Logging
import Query
import QueryHTTP
import TSDB

/// `tsdb serve`: Prometheus's HTTP query API over a store at rest, for Grafana and promtool.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the Prometheus HTTP query API (/api/v1/query, query_range, series, labels) and /api/v1/health/<service>.",
        discussion: "The store is opened (and locked) for the server's lifetime: serve a store no other process writes."
    )

    @OptionGroup var store: StoreFlags

    @Option(help: "host:port to listen on; ':PORT' listens on every interface.")
    var listen = "127.0.0.1:9090"

    @OptionGroup var query: QueryFlags

    @OptionGroup var queryLimits: QueryLimitFlags

    func run() async throws {
        let (host, port) = try ServeCommand.parseListen(listen)
        let limits = try queryLimits.limits()
        let db = try store.open()
        defer { try? db.close() }
        var logger = QueryServer.defaultLogger
        if let level = StoreFlags.env("LOG_LEVEL").flatMap(Logger.Level.init(rawValue:)) { logger.logLevel = level }
        let server = QueryServer(store: db, host: host, port: port, options: query.options, limits: limits, logger: logger)
        let directory = store.directory
        do {
            try await server.run(onListening: { bound in
                Console.error("serving \(directory) on http://\(host.contains(":") ? "[\(host)]" : host):\(bound) (Ctrl-C stops)")
            })
        } catch {
            throw CommandFailure("cannot serve on \(listen): \(error)")
        }
    }

    /// `127.0.0.1:9090`, `[::1]:9090`, `:9090` (every interface, as Go servers read it).
    static func parseListen(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            throw ValidationError("--listen '\(text)' must be host:port, e.g. 127.0.0.1:9090")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }
}
