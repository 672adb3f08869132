import Consumer
import QueryHTTP
import TSDB

/// The service's own endpoints next to the query API: `/metrics` (Prometheus text, for
/// self-monitoring), `/health`, and `/api/v1/quality` (the data-quality report).
enum ServiceEndpoints {
    static func routes(
        service: ConsumerService, store: Store, mirror: MirrorStage?, extra: @escaping @Sendable () -> [MetricFamily] = { [] }
    )
        -> [QueryServer.ExtraRoute]
    {
        [
            .init(path: "/metrics", contentType: "text/plain; version=0.0.4") {
                .ok(ServiceMetrics.render(ServiceMetrics.collect(service: service, store: store, mirror: mirror, extra: extra())))
            },
            .init(path: "/health") { .ok(health(service: service, store: store, mirror: mirror)) },
            .init(path: "/api/v1/quality") { .ok(String(decoding: service.pipeline.quality.json(now: Clock.nowMs()), as: UTF8.self)) },
        ]
    }

    static func health(service: ConsumerService, store: Store, mirror: MirrorStage?) -> String {
        let s = service.stats
        let redis = mirror.map { $0.mirror.isBehind ? "behind" : "ok" } ?? "off"
        return "{\"status\":\"ok\",\"stored\":\(s.stored),\"rejected\":\(s.rejected),\"lag\":\(s.totalLag),\"redis\":\"\(redis)\","
            + "\"corrupt_blocks\":\(store.stats.corruptBlocks.count)}"
    }

}
