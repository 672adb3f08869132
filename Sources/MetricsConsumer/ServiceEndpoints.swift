import Consumer
import QueryHTTP
import TSDB

/// The service's own endpoints next to the query API: `/metrics` (Prometheus text, for
/// self-monitoring), `/health`, and `/api/v1/quality` (the data-quality report).
enum ServiceEndpoints {
    static func routes(service: ConsumerService, store: Store, mirror: RedisMirror?) -> [QueryServer.ExtraRoute] {
        [
            .init(path: "/metrics", contentType: "text/plain; version=0.0.4") {
                .ok(metrics(service: service, store: store, mirror: mirror))
            },
            .init(path: "/health") { .ok(health(service: service, store: store, mirror: mirror)) },
            .init(path: "/api/v1/quality") { .ok(String(decoding: service.pipeline.quality.json(now: Clock.nowMs()), as: UTF8.self)) },
        ]
    }

    static func metrics(service: ConsumerService, store: Store, mirror: RedisMirror?) -> String {
        let s = service.stats
        let t = store.stats
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: Double)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples { out += name + (sample.labels.isEmpty ? "" : "{\(sample.labels)}") + " \(format(sample.value))\n" }
        }
        metric("consumer_messages_total", "counter", "Kafka messages processed.", [("", Double(s.messages))])
        metric("consumer_events_stored_total", "counter", "Events durably stored.", [("", Double(s.stored))])
        metric(
            "ingest_rejected_total", "counter", "Rejected events by reason (dead-lettered).",
            s.rejectedByReason.sorted { $0.key < $1.key }.map { ("reason=\"\($0.key)\"", Double($0.value)) })
        metric("consumer_batches_total", "counter", "Batches stored.", [("", Double(s.batches))])
        metric(
            "consumer_commit_failures_total", "counter", "Kafka offset commits that failed (the store holds the offsets).",
            [("", Double(s.commitFailures))])
        metric("consumer_kafka_errors_total", "counter", "Errors reported by librdkafka.", [("", Double(s.kafkaErrors))])
        metric(
            "consumer_lag_records", "gauge", "Records behind the high watermark, per partition.",
            s.lag.sorted { $0.key.sourceKey < $1.key.sourceKey }.map {
                ("topic=\"\($0.key.topic)\",partition=\"\($0.key.partition)\"", Double($0.value))
            })
        metric(
            "consumer_batch_latency_ms", "summary", "Poll-to-acknowledgement latency of recent batches.",
            [0.5, 0.99].compactMap { q in s.batchLatencyPercentile(q).map { ("quantile=\"\(q)\"", $0) } })
        if let mirror {
            let m = mirror.stats
            metric("redis_commands_total", "counter", "Commands sent to Redis.", [("", Double(m.commandsSent))])
            metric("redis_errors_total", "counter", "Failed Redis batches (the store has them).", [("", Double(m.errors))])
        }
        metric("tsdb_appended_samples_total", "counter", "Samples appended to the store.", [("", Double(t.appendedSamples))])
        metric("tsdb_wal_fsyncs_total", "counter", "WAL fsyncs (group commits).", [("", Double(t.walFsyncs))])
        metric("tsdb_wal_corruptions_total", "counter", "Corrupt WAL tails cut on open.", [("", Double(t.walCorruptions))])
        metric("tsdb_head_cuts_total", "counter", "Head cuts into blocks.", [("", Double(t.headCuts))])
        metric("tsdb_series", "gauge", "Series in the store.", [("", Double(store.seriesCount))])
        return out
    }

    static func health(service: ConsumerService, store: Store, mirror: RedisMirror?) -> String {
        let s = service.stats
        let redis = mirror.map { $0.isBehind ? "behind" : "ok" } ?? "off"
        return "{\"status\":\"ok\",\"stored\":\(s.stored),\"rejected\":\(s.rejected),\"lag\":\(s.totalLag),\"redis\":\"\(redis)\","
            + "\"corrupt_blocks\":\(store.stats.corruptBlocks.count)}"
    }

    private static func format(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v) }
}
