// Generated from config/metrics.yaml; a test asserts both are identical.
extension ServiceFileConfig {
    /// The shipped default (same content as config/metrics.yaml: default alert rules, two recording rules, anomaly on).
    public static let defaultYAML: String = #"""
        # Metrics service configuration (shipped default).
        #
        # Load another file with CONFIG_FILE=/path/metrics.yaml or --config /path/metrics.yaml.
        # Every key is optional: a missing key keeps the default shown here. Unknown keys are an error
        # (a typo must not silently disable an alert). Durations: "500ms", "30s", "5m", "1h", "30d", "2w"
        # or an integer of milliseconds. Reference: docs/ALERTS.md, "Configuration file".

        # librdkafka properties, passed through as written (KAFKA_PROP_* environment variables win).
        kafka: {}
        #  session.timeout.ms: 6000
        #  fetch.max.bytes: 52428800

        alerts:
          evaluation_interval: 30s          # time between rule evaluations
          max_notifications_per_minute: 30  # storm control: the rest of a minute is summarised
          default_cooldown: 10m             # re-fires of an alert within this are suppressed
          redis_list_length: 1000           # cap of the metrics:alerts Redis list
          # webhook:                        # ALERT_WEBHOOK_URL overrides url
          #   url: http://127.0.0.1:9999/hook
          #   attempts: 4                   # tries per notification
          #   backoff: 500ms                # first retry delay, doubled per failure
          #   timeout: 5s                   # per request
          rules:
            # health: p99_latency_ms | p95_latency_ms | avg_latency_ms | error_rate | availability
            #         | throughput_rps | throughput_drop   (rates and drops are fractions: 5 % = 0.05)
            # or expr: a PromQL expression yielding the raw value, e.g.
            #   expr: 'quantile_over_time(0.99, api_latency_ms{service="checkout"}[5m])'
            - name: api_latency_p99
              health: p99_latency_ms
              # services: [recommendation-api]  # default: every service
              window: 5m
              direction: above
              warning: 2000                 # ms
              critical: 5000
              resolve: 1500                 # back below this to resolve (hysteresis)
              for: 1m                       # the breach must last this long
              action: >-
                Check {service}'s recent deploys and slow dependencies (database, downstream calls);
                scale out if it is saturated.
            - name: error_rate
              health: error_rate
              window: 5m
              warning: 0.05
              critical: 0.10
              resolve: 0.03
              for: 1m
              action: >-
                Inspect {service}'s 5xx responses and error logs; roll back the latest deploy if the
                errors started with it.
            - name: throughput_drop
              health: throughput_drop        # 1 - current rps / baseline rps
              window: 5m
              baseline: 1h                   # the hour before the window
              warning: 0.30
              critical: 0.50
              resolve: 0.20
              for: 2m
              action: >-
                Traffic to {service} fell against the previous hour: check upstream callers, the load
                balancer and the ingest pipeline (consumer lag).

        anomaly:
          enabled: true
          evaluation_interval: 1m
          metrics: [p99_latency_ms, error_rate, throughput_rps]  # per-service health figures scored
          series: [cpu_usage_percent]                            # gauges scored per series (1m averages)
          settings:                          # DetectorSettings, see docs/ALERTS.md for every field
            alert_score: 0.8
            critical_score: 0.95
            resolve_score: 0.5
            for_duration: 1m
            cooldown: 30m

        health:                              # targets of the 0-100 health score
          latency_p99_target_ms: 500
          error_budget_percent: 1
          availability_floor_percent: 90
          # expected_throughput_rps: 100     # adds a throughput component

        slos:
          - name: recommendation-availability
            service: recommendation-api
            availability: 99.9               # percent of requests that are not errors
            period: 30d
          - name: recommendation-latency
            service: recommendation-api
            latency: {threshold_ms: 500, target: 99}   # 99 % of requests within 500 ms
            period: 30d

        capacity:
          - name: cpu
            metric: cpu_usage_percent
            # service: worker                # default: every series of the metric
            limit: 90
            direction: above
            window: 7d
            measure: average                 # average (gauges) | event_rate (events per second)
          - name: recommendation-api-throughput
            metric: api_latency_ms             # one event per request: its rate is the request rate
            service: recommendation-api
            limit: 2000                        # requests/s the service is sized for
            direction: above
            window: 7d
            measure: event_rate

        recording_rules:
          - record: recommendation_quality_score
            expr: >-
              100 * (1 - rate(errors_total{service="recommendation-api"}[5m]) / rate(requests_total{service="recommendation-api"}[5m]))
              * clamp_max(250 / (sum by (service) (sum_over_time(api_latency_ms{service="recommendation-api"}[5m]))
              / sum by (service) (count_over_time(api_latency_ms{service="recommendation-api"}[5m]))), 1)
            interval: 1m
            labels: {kpi: business}
          - record: system_efficiency_score
            expr: >-
              sum by (service) (rate(requests_total[5m])) / clamp_min(sum by (service) (avg_over_time(cpu_usage_percent[5m])), 1)
            interval: 1m
            labels: {kpi: business}

        # Applied in order to every accepted event before it is stored.
        transforms: []
        #  - rename: {metric: old_name, to: new_name}
        #  - scale: {metric: request_seconds, factor: 1000, rename: request_ms}
        #  - drop: {metric: debug_gauge}                       # or {match: {service: test}}
        #  - sample: {metric: cpu_usage_percent, every: 10}    # keep 1 in 10 per series
        #  - enrich: {match: {service: recommendation-api}, tags: {team: ml}}

        aggregators: []                      # derived series computed at ingest, stored with a later batch
        #  - ingest_count                     # per-minute ingested_events{service,type}

        validation:
          future_tolerance: 5m               # events further ahead of the ingest clock: rejected (future_timestamp)
          max_age: 7d                        # events older than this: rejected (too_old)
          ranges: []                         # checked before the built-in ranges (_percent 0-100, _ratio 0-1,
                                             # _total, _ms, _seconds, *latency* >= 0); the first match applies
        #  - {type: queue_depth, min: 0, max: 100000}
        #  - {suffix: _celsius, min: -60, max: 150}

        quality:
          expected_services: []              # services the data-quality report expects to hear from

        """#
}
