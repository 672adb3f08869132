import Dispatch
import Hummingbird
import Logging
import Query
import ServiceLifecycle
import TSDB

#if canImport(Glibc)
    import Glibc
#endif

/// Serves Prometheus's HTTP query API over a store, so Grafana's Prometheus data source and
/// `promtool query` work unchanged, plus `/api/v1/health/<service>`.
public struct QueryServer: Sendable {
    /// A GET endpoint the embedding service adds (its `/metrics`, `/health`, quality report).
    public struct ExtraRoute: Sendable {
        public var path: String
        public var contentType: String
        public var handler: @Sendable () -> APIResponse

        public init(path: String, contentType: String = "application/json", handler: @escaping @Sendable () -> APIResponse) {
            self.path = path
            self.contentType = contentType
            self.handler = handler
        }
    }

    public let api: PromAPI
    public let host: String
    public let port: Int
    public let extraRoutes: [ExtraRoute]
    /// Hummingbird's and the service group's logger.
    public let logger: Logger
    /// The threads queries run on (bounded, queued, below ingest's CPU priority).
    let workers: QueryWorkers

    public init(
        store: Store, host: String = "127.0.0.1", port: Int, options: QueryOptions = QueryOptions(), extraRoutes: [ExtraRoute] = [],
        healthTargets: HealthTargets = HealthTargets(), limits: QueryLimits = QueryLimits(), logger: Logger = QueryServer.defaultLogger
    ) {
        var api = PromAPI(store: store, options: options)
        api.healthTargets = healthTargets
        api.limits = limits
        workers = QueryWorkers(threads: limits.maxConcurrency, maxQueued: limits.maxQueued)
        self.api = api
        self.host = host
        self.port = port
        self.extraRoutes = extraRoutes
        self.logger = logger
    }

    /// Serves until SIGINT or SIGTERM, then shuts down gracefully.
    public func run() async throws {
        try await run(onListening: { _ in })
    }

    /// As `run`, calling `onListening` with the bound port once the socket listens.
    public func run(onListening: @escaping @Sendable (Int) -> Void) async throws {
        let app = application(onRunning: onListening)
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }

    /// Starts serving in a task and returns once the socket is bound (use port 0 for a free one).
    public func start() async throws -> RunningQueryServer {
        let signal = StartSignal()
        let app = application(onRunning: { port in signal.finish(.success(port)) })
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: logger)
        let task = Task {
            do {
                try await group.run()
                signal.finish(.failure(ServerStopped()))
            } catch {
                signal.finish(.failure(error))
            }
        }
        do {
            return RunningQueryServer(port: try await signal.wait(), group: group, task: task)
        } catch {
            await group.triggerGracefulShutdown()
            await task.value
            throw error
        }
    }

    /// Warnings and errors only (the CLI announces the address itself).
    public static var defaultLogger: Logger {
        var logger = Logger(label: "tsdb.query-http")
        logger.logLevel = .warning
        return logger
    }

    /// Raised by `start` when the server stopped before it was listening.
    struct ServerStopped: Error {}

    func application(onRunning: @escaping @Sendable (Int) -> Void) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "tsdb"),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        let api = self.api
        func both(_ path: RouterPath, _ handler: @escaping @Sendable (FormParameters) -> APIResponse) {
            let respond: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
                let params = try await QueryServer.parameters(request)
                return QueryServer.response(await offload { handler(params) })
            }
            router.get(path, use: respond)
            router.post(path, use: respond)
        }
        let workers = self.workers
        /// PromQL runs on the query workers with a budget that a cancelled request (server
        /// shutdown, a client that went away) cancels too.
        func promQL(_ path: RouterPath, _ handler: @escaping @Sendable (FormParameters, QueryBudget) -> APIResponse) {
            let respond: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
                let params = try await QueryServer.parameters(request)
                let budget: QueryBudget
                switch api.budget(params) {
                case .success(let b): budget = b
                case .failure(let e): return QueryServer.response(e.response)
                }
                return try await withTaskCancellationHandler {
                    do {
                        return QueryServer.response(try await workers.run { handler(params, budget) })
                    } catch {
                        return QueryServer.response(
                            APIResponse(status: 503, body: PromJSON.error(type: "unavailable", message: "\(error)")))
                    }
                } onCancel: {
                    budget.cancel()
                }
            }
            router.get(path, use: respond)
            router.post(path, use: respond)
        }
        promQL("/api/v1/query") { api.query($0, budget: $1) }
        promQL("/api/v1/query_range") { api.queryRange($0, budget: $1) }
        both("/api/v1/series") { api.series($0) }
        both("/api/v1/labels") { api.labels($0) }
        both("/api/v1/metadata") { _ in api.metadata() }
        both("/api/v1/status/buildinfo") { _ in api.buildInfo() }
        router.get("/api/v1/label/{name}/values") { request, context in
            let name = context.parameters.get("name") ?? ""
            let params = try await QueryServer.parameters(request)
            return QueryServer.response(await offload { api.labelValues(name, params) })
        }
        router.get("/api/v1/health/{service}") { request, context in
            let service = context.parameters.get("service") ?? ""
            let params = try await QueryServer.parameters(request)
            return QueryServer.response(await offload { api.health(service: service, params) })
        }
        for route in extraRoutes {
            router.get(RouterPath(route.path)) { _, _ in
                QueryServer.response(await offload { route.handler() }, contentType: route.contentType)
            }
        }
        return router
    }

    /// URL query parameters plus, for a form-encoded body, its parameters.
    static func parameters(_ request: Request) async throws -> FormParameters {
        var params = FormParameters()
        let contentType = request.headers[.contentType] ?? ""
        if request.method == .post, contentType.isEmpty || contentType.hasPrefix("application/x-www-form-urlencoded") {
            let body = try await request.body.collect(upTo: InputLimits.maxHTTPBodyBytes)
            params.append(encoded: body.readableBytesView)
        }
        if let query = request.uri.query { params.append(encoded: Array(query.utf8)) }
        return params
    }

    static func response(_ r: APIResponse, contentType: String = "application/json") -> Response {
        Response(
            status: HTTPResponse.Status(code: r.status),
            headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: r.body))
        )
    }
}

/// Runs blocking store work on a Dispatch thread, keeping the cooperative pool free.
func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: work()) }
    }
}
