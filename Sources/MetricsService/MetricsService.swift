/// The metrics service: its configuration (`ServiceConfiguration`, read once from the
/// environment and the config file), `MetricsServiceBuilder`, which wires store, Redis mirror,
/// pipeline, consumer, alerting and HTTP from it, and the parts only the service has (the
/// alerting loop, notifiers, `/metrics` and the service endpoints, self-monitoring).
/// `metrics-consumer` is a thin shell over it.
public enum MetricsService {}
