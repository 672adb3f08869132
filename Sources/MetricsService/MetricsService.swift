/// The metrics service's wiring: its config file, the alerting loop over the store, the
/// notifiers (webhook, Redis, store) and self-monitoring. `metrics-consumer` is a thin shell over it.
public enum MetricsService {}
