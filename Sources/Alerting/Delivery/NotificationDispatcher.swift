import Synchronization

/// Delivery counters of one notifier.
public struct DispatchCounters: Sendable, Equatable, Codable {
    public var enqueued = 0
    public var delivered = 0
    public var failed = 0
    /// Notifications refused because the notifier's queue was full.
    public var dropped = 0
}

/// Fans notifications out to several notifiers, each behind its own bounded queue and task, so a
/// slow or failing receiver neither delays the others nor blocks the caller (`enqueue` never waits).
public actor NotificationDispatcher {
    /// Queue bound per notifier.
    public nonisolated let capacity: Int
    public nonisolated let notifierNames: [String]
    private nonisolated let queues: [AsyncStream<AlertNotification>.Continuation]
    private nonisolated let counters: CounterBox
    private var workers: [Task<Void, Never>] = []

    /// Starts one delivery task per notifier, each with a queue of `capacity` notifications.
    public init(notifiers: [any AlertNotifier], capacity: Int = 1_000) {
        self.capacity = max(1, capacity)
        notifierNames = notifiers.map(\.name)
        counters = CounterBox(notifiers.map(\.name))
        var queues: [AsyncStream<AlertNotification>.Continuation] = []
        var workers: [Task<Void, Never>] = []
        for notifier in notifiers {
            let (stream, continuation) = AsyncStream.makeStream(
                of: AlertNotification.self, bufferingPolicy: .bufferingOldest(self.capacity))
            queues.append(continuation)
            let counters = self.counters
            workers.append(
                Task.detached {
                    for await n in stream {
                        let ok: Bool
                        do {
                            try await notifier.deliver(n)
                            ok = true
                        } catch {
                            ok = false
                        }
                        counters.update(notifier.name) { c in if ok { c.delivered += 1 } else { c.failed += 1 } }
                    }
                })
        }
        self.queues = queues
        self.workers = workers
    }

    /// Queues `n` for every notifier without waiting; returns false if any queue was full (counted as dropped).
    @discardableResult
    public nonisolated func enqueue(_ n: AlertNotification) -> Bool {
        var all = true
        for (name, q) in zip(notifierNames, queues) {
            let accepted: Bool
            switch q.yield(n) {
            case .enqueued: accepted = true
            case .dropped, .terminated: accepted = false
            @unknown default: accepted = false
            }
            all = all && accepted
            counters.update(name) { c in if accepted { c.enqueued += 1 } else { c.dropped += 1 } }
        }
        return all
    }

    /// Counters per notifier name.
    public nonisolated var stats: [String: DispatchCounters] { counters.snapshot }

    /// Stops accepting notifications and waits until the queued ones are delivered (or failed).
    public func finish() async {
        for q in queues { q.finish() }
        for w in workers { await w.value }
        workers = []
    }
}

/// Counters shared by the enqueuing callers and the delivery tasks.
private final class CounterBox: Sendable {
    private let counters: Mutex<[String: DispatchCounters]>

    init(_ names: [String]) {
        counters = Mutex(Dictionary(names.map { ($0, DispatchCounters()) }, uniquingKeysWith: { a, _ in a }))
    }

    func update(_ name: String, _ body: (inout DispatchCounters) -> Void) {
        counters.withLock { body(&$0[name, default: DispatchCounters()]) }
    }

    var snapshot: [String: DispatchCounters] { counters.withLock { $0 } }
}
