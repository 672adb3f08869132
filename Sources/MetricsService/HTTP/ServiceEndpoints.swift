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
            .init(path: "/health") { .ok(health(service: service, store: store, mirror: mirror, compactor: compactor)) },
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
    /// `status` is `degraded` while compaction keeps failing (rollups stop becoming durable), and
    /// while the store found damage on open (`storage`: WAL damage past a torn tail, or files
    /// moved to `quarantine/`, listed in `quarantined`).
    static func health(service: ConsumerService, store: Store, mirror: MirrorStage?, compactor: Compactor? = nil) -> String {
        let s = service.stats
        let redis = mirror.map { $0.mirror.isBehind ? "behind" : "ok" } ?? "off"
        let failures = compactor?.stats.consecutiveFailures ?? 0
        let compaction = compactor == nil ? "off" : failures == 0 ? "ok" : "failing"
        let t = store.stats
        let damaged = t.walDamagedRecords > 0 || !t.quarantined.isEmpty
        let quarantined = t.quarantined.map(JSONText.quoted).joined(separator: ",")
        return "{\"status\":\"\(failures == 0 && !damaged ? "ok" : "degraded")\",\"stored\":\(s.stored),\"rejected\":\(s.rejected),"
            + "\"lag\":\(s.totalLag),\"redis\":\"\(redis)\",\"compaction\":\"\(compaction)\","
            + "\"compaction_failures_in_a_row\":\(failures),\"corrupt_blocks\":\(t.corruptBlocks.count),"
            + "\"storage\":\"\(damaged ? "damaged" : "ok")\",\"wal_corruptions\":\(t.walCorruptions),"
            + "\"wal_damaged_records\":\(t.walDamagedRecords),\"quarantined\":[\(quarantined)]}"
    }
}
