import Alerting
import Consumer
import Query
import Testing

@testable import MetricsService

/// One file setting every key of the schema to a non-default value.
@Suite struct FullConfigTests {
    static let yaml = """
        kafka:
          session.timeout.ms: 6000
          client.id: metrics
        alerts:
          evaluation_interval: 15s
          max_notifications_per_minute: 12
          default_cooldown: 5m
          webhook:
            url: https://hooks.example.com/x
            attempts: 3
            backoff: 250ms
            timeout: 2000
          redis_list_length: 50
          rules:
            - name: checkout_p95
              health: p95_latency_ms
              services: [checkout, cart]
              latency_metric: checkout_latency_ms
              window: 10m
              direction: above
              warning: 800
              critical: 1200.5
              resolve: 700
              for: 30s
              cooldown: 20m
              baseline: 2h
              action: "Page the {service} team"
              labels: {team: shop, runbook: rb1}
            - name: low_availability
              health: availability
              direction: below
              critical: 0.99
            - name: queue_depth
              expr: 'max_over_time(queue_depth[5m])'
              warning: 100
        anomaly:
          enabled: false
          evaluation_interval: 2m
          metrics: [avg_latency_ms, throughput_drop]
          series: [memory_usage_bytes, cpu_usage_percent]
          settings:
            baseline_window: 2h
            max_baseline_points: 512
            min_points: 20
            z_threshold: 5
            mad_threshold: 5.5
            seasonal_threshold: 7
            cusum_k: 1
            cusum_h: 5
            cusum_clip: 2.5
            short_window_points: 40
            variance_ratio_threshold: 3
            long_memory: 12h
            variance_memory: 3h
            baseline_clip: 5
            detrend_without_seasonal: false
            seasonal: false
            alert_score: 0.85
            critical_score: 0.97
            resolve_score: 0.4
            for_duration: 2m
            cooldown: 1h
        health:
          latency_p99_target_ms: 250
          error_budget_percent: 0.5
          availability_floor_percent: 95
          expected_throughput_rps: 120
        slos:
          - name: avail
            service: checkout
            availability: 99.5
            period: 7d
            metric: checkout_latency_ms
          - name: fast
            service: checkout
            latency: {threshold_ms: 300, target: 95}
        capacity:
          - name: mem
            metric: memory_usage_bytes
            service: worker
            limit: 8e9
            direction: above
            window: 14d
            measure: average
          - name: traffic
            metric: api_latency_ms
            limit: 10
            direction: below
            measure: event_rate
        recording_rules:
          - record: "job:errors:rate5m"
            expr: sum by (service) (rate(errors_total[5m]))
            interval: 30s
            labels: {kpi: tech}
        transforms:
          - rename: {metric: old_name, to: new_name}
          - scale: {metric: request_seconds, factor: 1000, rename: request_ms}
          - scale: {metric: bytes, factor: 0.001}
          - drop: {metric: debug_gauge}
          - drop: {match: {service: test}}
          - sample: {metric: cpu_usage_percent, every: 10}
          - enrich: {match: {service: recommendation-api}, tags: {team: ml}}
        quality:
          expected_services: [recommendation-api, checkout]

        """

    @Test func everyKeyIsRead() throws {
        let c = try ServiceFileConfig.parse(Self.yaml, source: "full.yaml")
        #expect(c.kafka == ["session.timeout.ms": "6000", "client.id": "metrics"])

        #expect(c.alerts.evaluationInterval == 15_000 && c.alerts.maxPerMinute == 12 && c.alerts.defaultCooldown == 300_000)
        #expect(c.alerts.webhook == WebhookConfig(url: "https://hooks.example.com/x", attempts: 3, backoff: 250, timeout: 2_000))
        #expect(c.alerts.redisListLength == 50)
        let p95 = AlertRule(
            name: "checkout_p95", kind: .health(.p95LatencyMs, services: ["checkout", "cart"]), window: 600_000,
            thresholds: AlertThresholds(direction: .above, warning: 800, critical: 1200.5, resolve: 700, forDuration: 30_000),
            cooldown: 1_200_000, suggestedAction: "Page the {service} team", labels: ["team": "shop", "runbook": "rb1"],
            baseline: 7_200_000, latencyMetric: "checkout_latency_ms")
        let avail = AlertRule(
            name: "low_availability", kind: .health(.availability, services: nil), window: 300_000,
            thresholds: AlertThresholds(direction: .below, warning: nil, critical: 0.99), cooldown: 300_000)
        let queue = AlertRule(
            name: "queue_depth", kind: .expression("max_over_time(queue_depth[5m])"), window: 300_000,
            thresholds: AlertThresholds(warning: 100, critical: nil), cooldown: 300_000)
        #expect(c.alerts.rules == [p95, avail, queue])

        var s = DetectorSettings()
        s.baselineWindow = 7_200_000
        s.maxBaselinePoints = 512
        s.minPoints = 20
        s.zThreshold = 5
        s.madThreshold = 5.5
        s.seasonalThreshold = 7
        s.cusumK = 1
        s.cusumH = 5
        s.cusumClip = 2.5
        s.shortWindowPoints = 40
        s.varianceRatioThreshold = 3
        s.longMemory = 43_200_000
        s.varianceMemory = 10_800_000
        s.baselineClip = 5
        s.detrendWithoutSeasonal = false
        s.seasonal = false
        s.alertScore = 0.85
        s.criticalScore = 0.97
        s.resolveScore = 0.4
        s.forDuration = 120_000
        s.cooldown = 3_600_000
        var anomaly = AnomalyConfig()
        anomaly.enabled = false
        anomaly.evaluationInterval = 120_000
        anomaly.metrics = [.avgLatencyMs, .throughputDrop]
        anomaly.series = ["memory_usage_bytes", "cpu_usage_percent"]
        anomaly.settings = s
        #expect(c.anomaly == anomaly)

        #expect(
            c.health
                == HealthTargets(latencyP99TargetMs: 250, errorBudgetPercent: 0.5, availabilityFloorPercent: 95, expectedThroughputRps: 120)
        )
        #expect(
            c.slos == [
                SLOSpec(
                    name: "avail", service: "checkout", objective: .availability(target: 0.995), period: 7 * 86_400_000,
                    metric: "checkout_latency_ms"),
                SLOSpec(name: "fast", service: "checkout", objective: .latency(thresholdMs: 300, target: 0.95)),
            ])
        #expect(
            c.capacity == [
                CapacitySpec(name: "mem", metric: "memory_usage_bytes", service: "worker", limit: 8e9, window: 14 * 86_400_000),
                CapacitySpec(name: "traffic", metric: "api_latency_ms", limit: 10, direction: .below, measure: .eventRate),
            ])
        #expect(
            c.recordingRules == [
                RecordingRule(
                    name: "job:errors:rate5m", expression: "sum by (service) (rate(errors_total[5m]))", interval: 30_000,
                    labels: ["kpi": "tech"])
            ])
        #expect(
            c.transforms == [
                .rename(metric: "old_name", to: "new_name"),
                .scale(metric: "request_seconds", factor: 1000, rename: "request_ms"),
                .scale(metric: "bytes", factor: 0.001, rename: nil),
                .drop(metric: "debug_gauge", match: [:]),
                .drop(metric: nil, match: ["service": "test"]),
                .sample(metric: "cpu_usage_percent", every: 10),
                .enrich(match: ["service": "recommendation-api"], tags: ["team": "ml"]),
            ])
        #expect(c.expectedServices == ["recommendation-api", "checkout"])
    }

    @Test func durationsAcceptUnitsAndMilliseconds() throws {
        for (text, ms) in [
            ("500ms", 500), ("30s", 30_000), ("5m", 300_000), ("1h", 3_600_000), ("30d", 2_592_000_000), ("2w", 1_209_600_000),
            ("1500", 1_500),
        ] as [(String, Int64)] {
            let c = try ServiceFileConfig.parse("alerts:\n  evaluation_interval: \(text)\n", source: "x")
            #expect(c.alerts.evaluationInterval == ms, "\(text)")
        }
    }
}
