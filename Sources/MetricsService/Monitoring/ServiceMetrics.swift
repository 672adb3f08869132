import Consumer
import TSDB

/// One metric family of the service's own metrics: exposed at `/metrics` and written into the
/// service's own store (self-monitoring), from the same snapshot.
public struct MetricFamily: Sendable {
    public struct Sample: Sendable {
        /// Appended to the family name (`_bucket`, `_sum`, `_count` of a histogram), else empty.
        public var suffix = ""
        public var labels: [(String, String)] = []
        public var value: Double

        public init(suffix: String = "", labels: [(String, String)] = [], value: Double) {
            self.suffix = suffix
            self.labels = labels
            self.value = value
        }
    }
    public var name: String
    public var type: String
    public var help: String
    public var samples: [Sample]

    public init(name: String, type: String, help: String, samples: [Sample]) {
        self.name = name
        self.type = type
        self.help = help
        self.samples = samples
    }
}

/// The service's metrics: throughput, batch latency histogram, fetch/processing split, lag,
/// rejections by reason, Redis errors, the store's counters (and whatever `extra` adds).
public enum ServiceMetrics {
    public static func collect(service: ConsumerService, store: Store, mirror: MirrorStage?, extra: [MetricFamily] = []) -> [MetricFamily] {
        let s = service.stats
        let t = store.stats
        var out: [MetricFamily] = []
        func add(_ name: String, _ type: String, _ help: String, _ samples: [MetricFamily.Sample]) {
            out.append(MetricFamily(name: name, type: type, help: help, samples: samples))
        }
        func one(_ value: Double) -> [MetricFamily.Sample] { [.init(value: value)] }
        add("consumer_messages_total", "counter", "Kafka messages processed.", one(Double(s.messages)))
        add("consumer_messages_per_second", "gauge", "Messages processed per second, last few seconds.", one(s.messagesPerSecond))
        add("consumer_events_stored_total", "counter", "Events durably stored.", one(Double(s.stored)))
        add(
            "ingest_rejected_total", "counter", "Rejected events by reason (dead-lettered).",
            s.rejectedByReason.sorted { $0.key < $1.key }.map { .init(labels: [("reason", $0.key)], value: Double($0.value)) })
        add("consumer_batches_total", "counter", "Batches stored.", one(Double(s.batches)))
        add(
            "consumer_fetch_seconds_total", "counter", "Seconds spent in poll waiting for fetched records.", one(s.fetchSeconds))
        add(
            "consumer_processing_seconds_total", "counter", "Seconds spent processing batches (decode, validate, store).",
            one(s.processingSeconds))
        add(
            "consumer_backpressure_pauses_total", "counter", "Times partitions were paused because the Redis mirror fell behind.",
            one(Double(s.backpressurePauses)))
        add("consumer_paused_seconds_total", "counter", "Seconds partitions spent paused by backpressure.", one(s.pausedSeconds))
        add(
            "consumer_commit_failures_total", "counter", "Kafka offset commits that failed (the store holds the offsets).",
            one(Double(s.commitFailures)))
        add(
            "consumer_kafka_events_total", "counter",
            "librdkafka errors by kind: offset_reset (auto.offset.reset moved a partition), broker_unavailable (reconnecting), other.",
            ["offset_reset", "broker_unavailable", "other"].map { .init(labels: [("kind", $0)], value: Double(s.kafkaEvents[$0] ?? 0)) })
        add(
            "consumer_replayed_skipped_total", "counter", "Records skipped because the store already held them (after an offset reset).",
            one(Double(s.replayedSkipped)))
        add(
            "consumer_lag_records", "gauge", "Records behind the high watermark, per partition.",
            s.lag.sorted { $0.key.sourceKey < $1.key.sourceKey }.map {
                .init(labels: [("topic", $0.key.topic), ("partition", String($0.key.partition))], value: Double($0.value))
            })
        var histogram = s.batchLatency.cumulative.map {
            MetricFamily.Sample(suffix: "_bucket", labels: [("le", $0.le)], value: Double($0.count))
        }
        histogram.append(.init(suffix: "_sum", value: s.batchLatency.sum))
        histogram.append(.init(suffix: "_count", value: Double(s.batchLatency.count)))
        add("consumer_batch_latency_ms", "histogram", "Poll-to-acknowledgement latency of batches, milliseconds.", histogram)
        if let mirror {
            let m = mirror.mirror.stats
            let q = mirror.stats
            add("redis_commands_total", "counter", "Commands sent to Redis.", one(Double(m.commandsSent)))
            add("redis_errors_total", "counter", "Failed Redis round trips (the store has the data).", one(Double(m.errors)))
            add(
                "redis_mirror_catch_ups_total", "counter", "Catch-ups of the mirror from the store after an outage.",
                one(Double(q.catchUps)))
            add("redis_mirror_queued_events", "gauge", "Events waiting for the Redis mirror.", one(Double(q.queuedEvents)))
        }
        add("tsdb_appended_samples_total", "counter", "Samples appended to the store.", one(Double(t.appendedSamples)))
        add("tsdb_wal_fsyncs_total", "counter", "WAL fsyncs (group commits).", one(Double(t.walFsyncs)))
        add("tsdb_wal_corruptions_total", "counter", "Damaged WAL stretches found on open (torn tails included); the store salvages the records after each.", one(Double(t.walCorruptions)))
        add("tsdb_head_cuts_total", "counter", "Head cuts into blocks.", one(Double(t.headCuts)))
        add("tsdb_series", "gauge", "Series in the store.", one(Double(store.seriesCount)))
        add("process_resident_memory_bytes", "gauge", "Resident set size.", one(ProcessStats.currentRSSMB() * 1024 * 1024))
        return out + extra
    }

    /// Prometheus text exposition format 0.0.4.
    public static func render(_ families: [MetricFamily]) -> String {
        var out = ""
        for f in families {
            out += "# HELP \(f.name) \(f.help)\n# TYPE \(f.name) \(f.type)\n"
            for sample in f.samples {
                let labels = sample.labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
                out += f.name + sample.suffix + (labels.isEmpty ? "" : "{\(labels)}") + " \(format(sample.value))\n"
            }
        }
        return out
    }

    private static func escape(_ v: String) -> String {
        v.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(
            of: "\n", with: "\\n")
    }

    private static func format(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "NaN" : (v > 0 ? "+Inf" : "-Inf") }
        return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}
