import Query
import TSDB

/// `/api/v1/health/<service>`: the service's latency, error and throughput summary.
extension PromAPI {
    /// `HealthQuery`'s health document at `time` (default now); 404 for a service the store has
    /// never seen.
    public func health(service: String, _ p: FormParameters, now: Int64 = PromTime.now()) -> APIResponse {
        let end: Int64
        switch time(p, "time", default: now) {
        case .success(let t): end = t
        case .failure(let e): return e.response
        }
        guard healthQuery.services().contains(service) else {
            return APIResponse(status: 404, body: PromJSON.error(type: "not_found", message: "unknown service \"\(service)\""))
        }
        do {
            return .ok(try healthQuery.document(service: service, end: end, targets: healthTargets))
        } catch {
            return APIResponse(status: 422, body: PromJSON.error(type: "execution", message: "\(error)"))
        }
    }
}
