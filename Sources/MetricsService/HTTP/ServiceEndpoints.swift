import Consumer
import QueryHTTP
import TSDB

/// The service's own endpoints next to the query API: `/metrics` (Prometheus text), `/health`,
/// `/api/v1/quality` (data-quality report), and with alerting `/api/v1/alerts`, `/api/v1/slo`,
/// `/api/v1/capacity`.
public enum ServiceEndpoints {
    public static func routes(
        service: ConsumerService, store: Store, mirror: MirrorStage?, alerting: AlertingService?, compactor: Compactor? = nil,
        clock: @escaping @Sendable () -> Int64
    ) -> [QueryServer.ExtraRoute] {
        var routes: [QueryServer.ExtraRoute] = [
            .init(path: "/metrics", contentType: "text/plain; version=0.0.4") {
                .ok(
                    ServiceMetrics.render(
                        ServiceMetrics.collect(
                            service: service, store: store, mirror: mirror,
                            extra: (alerting?.metricFamilies() ?? []) + CompactorMetrics.families(compactor: compactor, store: store))))
            },
            .init(path: "/health") { .ok(health(service: service, store: store, mirror: mirror)) },
            .init(path: "/api/v1/quality") { .ok(String(decoding: service.pipeline.quality.json(now: clock()), as: UTF8.self)) },
        ]
        if let alerting {
            routes.append(.init(path: "/api/v1/alerts") { .ok(alerting.alertsJSON()) })
            routes.append(.init(path: "/api/v1/slo") { .ok(alerting.sloJSON()) })
            routes.append(.init(path: "/api/v1/capacity") { .ok(alerting.capacityJSON(now: clock())) })
        }
        return routes
    }

    /// `/health`: the service's own liveness summary.
    static func health(service: ConsumerService, store: Store, mirror: MirrorStage?) -> String {
        let s = service.stats
        let redis = mirror.map { $0.mirror.isBehind ? "behind" : "ok" } ?? "off"
        return "{\"status\":\"ok\",\"stored\":\(s.stored),\"rejected\":\(s.rejected),\"lag\":\(s.totalLag),\"redis\":\"\(redis)\","
            + "\"corrupt_blocks\":\(store.stats.corruptBlocks.count)}"
    }
}
