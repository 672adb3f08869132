/// A destination for alert notifications (webhook, Redis, store...).
public protocol AlertNotifier: Sendable {
    /// A short name for logs and counters, e.g. "webhook:ops".
    var name: String { get }
    /// Delivers one notification, retrying as the notifier sees fit; throws once it gives up.
    func deliver(_ n: AlertNotification) async throws
}
