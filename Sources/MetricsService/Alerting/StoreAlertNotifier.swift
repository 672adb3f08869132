import Alerting
import TSDB

/// Records every notification in the store as the series
/// `alerts{alertname, severity, state, service, alertkey}`: 1 when it fires, 0 when it resolves,
/// so alert history is queried like any metric (`alerts{alertname="error_rate"}`), and
/// `alert_value{...}` holds the watched value at that time.
public struct StoreAlertNotifier: AlertNotifier {
    public static let metric = "alerts"
    public static let valueMetric = "alert_value"

    public let name = "store"
    public let store: Store

    public init(store: Store) { self.store = store }

    public func deliver(_ n: AlertNotification) async throws {
        var pairs = [
            Label("alertname", n.rule), Label("severity", n.severity.rawValue), Label("state", n.state.rawValue),
            Label("alertkey", n.key),
        ]
        if let service = n.service { pairs.append(Label(Labels.service, service)) }
        var batch = WriteBatch(capacity: 2)
        batch.append(Labels(pairs + [Label(Labels.metricName, Self.metric)]), n.timestamp, n.state == .resolved ? 0 : 1)
        if let value = n.value, value.isFinite {
            batch.append(Labels(pairs + [Label(Labels.metricName, Self.valueMetric)]), n.timestamp, value)
        }
        _ = try store.append(batch)
    }
}
