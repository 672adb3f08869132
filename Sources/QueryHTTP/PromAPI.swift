import Query
import TSDB

/// An HTTP status and a JSON body.
public struct APIResponse: Sendable, Equatable {
    public var status: Int
    public var body: String

    public static func ok(_ body: String) -> APIResponse { APIResponse(status: 200, body: body) }

    /// Prometheus's `bad_data` error: HTTP 400.
    public static func badData(_ message: String) -> APIResponse {
        APIResponse(status: 400, body: PromJSON.error(type: "bad_data", message: message))
    }
}

/// Prometheus HTTP API semantics over a store, independent of the HTTP server: each endpoint
/// takes decoded parameters and returns the status and body Prometheus would. Blocking: callers
/// run it off the cooperative pool.
public struct PromAPI: Sendable {
    public let store: Store
    let engine: PromQLEngine
    let healthQuery: HealthQuery
    /// What `health_score` measures services against.
    public var healthTargets = HealthTargets()
    /// Timeout, sample and series caps of every query.
    public var limits = QueryLimits()

    public init(store: Store, options: QueryOptions = QueryOptions()) {
        self.store = store
        engine = PromQLEngine(store: store, options: options)
        healthQuery = HealthQuery(store: store, options: options)
    }

    /// The budget of one request: the server's limits, with its `timeout` parameter when shorter.
    func budget(_ p: FormParameters) -> Result<QueryBudget, ParameterError> {
        guard let text = p["timeout"], !text.isEmpty else { return .success(limits.budget()) }
        guard let ms = PromTime.parseDuration(text), ms > 0 else {
            return .failure(
                ParameterError(response: .badData("invalid parameter \"timeout\": cannot parse \"\(text)\" to a valid duration")))
        }
        return .success(limits.budget(requestTimeoutMs: ms))
    }

    /// `/api/v1/query`: `query`, `time` (default now), `timeout`.
    public func query(_ p: FormParameters, now: Int64 = PromTime.now(), budget given: QueryBudget? = nil) -> APIResponse {
        let t: Int64
        switch time(p, "time", default: now) {
        case .success(let v): t = v
        case .failure(let e): return e.response
        }
        guard let q = p["query"], !q.isEmpty else { return .badData("invalid parameter \"query\": query must not be empty") }
        let budget: QueryBudget
        switch given.map { .success($0) } ?? self.budget(p) {
        case .success(let b): budget = b
        case .failure(let e): return e.response
        }
        do {
            let (value, stats) = try engine.instant(q, at: t, budget: budget)
            return .ok(PromJSON.queryResponse(value, stats))
        } catch {
            return PromAPI.response(for: error, query: q)
        }
    }

    /// `/api/v1/query_range`: `query`, `start`, `end`, `step`, `timeout`.
    public func queryRange(_ p: FormParameters, budget given: QueryBudget? = nil) -> APIResponse {
        let start: Int64
        let end: Int64
        switch (time(p, "start", default: nil), time(p, "end", default: nil)) {
        case (.success(let s), .success(let e)): (start, end) = (s, e)
        case (.failure(let e), _), (_, .failure(let e)): return e.response
        }
        guard end >= start else { return .badData("invalid parameter \"end\": end timestamp must not be before start time") }
        guard let stepText = p["step"] else { return .badData("invalid parameter \"step\": missing") }
        guard let step = PromTime.parseDuration(stepText) else {
            return .badData("invalid parameter \"step\": cannot parse \"\(stepText)\" to a valid duration")
        }
        guard step > 0 else {
            return .badData(
                "invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        // end - start can exceed Int64 for hostile times: compare as unsigned, which cannot overflow.
        guard UInt64(bitPattern: end &- start) / UInt64(step) < UInt64(InputLimits.maxPointsPerSeries) else {
            return .badData("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        }
        guard let q = p["query"], !q.isEmpty else { return .badData("invalid parameter \"query\": query must not be empty") }
        let budget: QueryBudget
        switch given.map { .success($0) } ?? self.budget(p) {
        case .success(let b): budget = b
        case .failure(let e): return e.response
        }
        do {
            let (value, stats) = try engine.range(q, start: start, end: end, step: step, budget: budget)
            return .ok(PromJSON.queryResponse(value, stats))
        } catch {
            return PromAPI.response(for: error, query: q)
        }
    }

    /// Maps a PromQL error to Prometheus's status and error type.
    static func response(for error: PromQLError, query: String) -> APIResponse {
        response(kind: error.kind, message: error.message, position: error.position, query: query)
    }

    /// Prefixes `line:col:` when the message does not already name the position.
    static func response(kind: PromQLError.Kind, message: String, position: Int?, query: String) -> APIResponse {
        var message = message
        if let position, message.first?.isNumber != true {
            message = positionPrefix(position, in: query) + message
        }
        switch kind {
        case .parse, .unsupported: return APIResponse(status: 400, body: PromJSON.error(type: "bad_data", message: message))
        case .execution: return APIResponse(status: 422, body: PromJSON.error(type: "execution", message: message))
        case .timeout: return APIResponse(status: 503, body: PromJSON.error(type: "timeout", message: message))
        // Prometheus' status for a client that went away (nginx's 499).
        case .canceled: return APIResponse(status: 499, body: PromJSON.error(type: "canceled", message: message))
        }
    }

    /// `line:column: ` (1-based) of a 0-based character offset.
    static func positionPrefix(_ position: Int, in query: String) -> String {
        var line = 1
        var column = 1
        for c in query.prefix(max(0, position)) {
            if c == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return "\(line):\(column): "
    }

    /// A parameter error already shaped as the response to send.
    struct ParameterError: Error {
        var response: APIResponse
    }

    /// The time parameter `name`, or `default` when absent (nil default: required).
    func time(_ p: FormParameters, _ name: String, default fallback: Int64?) -> Result<Int64, ParameterError> {
        guard let text = p[name], !text.isEmpty else {
            if let fallback { return .success(fallback) }
            return .failure(ParameterError(response: .badData("invalid parameter \"\(name)\": missing")))
        }
        guard let t = PromTime.parseTime(text) else {
            return .failure(
                ParameterError(response: .badData("invalid parameter \"\(name)\": cannot parse \"\(text)\" to a valid timestamp")))
        }
        return .success(t)
    }
}
