import Synchronization
import Testing

@testable import Alerting

/// Records deliveries; fails the keys listed in `failing`; optionally waits at a gate first.
final class RecordingNotifier: AlertNotifier {
    let name: String
    let failing: Set<String>
    private let delivered = Mutex<[String]>([])
    private let gate: AsyncStream<Void>?
    private let started = Mutex(0)

    init(name: String, failing: Set<String> = [], gate: AsyncStream<Void>? = nil) {
        self.name = name
        self.failing = failing
        self.gate = gate
    }

    var keys: [String] { delivered.withLock { $0 } }
    var startedCount: Int { started.withLock { $0 } }

    func deliver(_ n: AlertNotification) async throws {
        started.withLock { $0 += 1 }
        if let gate {
            for await _ in gate { break }
        }
        struct Refused: Error {}
        if failing.contains(n.key) { throw Refused() }
        delivered.withLock { $0.append(n.key) }
    }
}

@Suite struct NotificationDispatcherTests {
    @Test func fansOutToEveryNotifier() async {
        let a = RecordingNotifier(name: "a")
        let b = RecordingNotifier(name: "b", failing: ["k3"])
        let dispatcher = NotificationDispatcher(notifiers: [a, b], capacity: 100)
        for i in 0..<10 { #expect(dispatcher.enqueue(sampleNotification(key: "k\(i)"))) }
        await dispatcher.finish()
        #expect(a.keys == (0..<10).map { "k\($0)" })
        #expect(b.keys == (0..<10).filter { $0 != 3 }.map { "k\($0)" })
        #expect(dispatcher.stats["a"] == DispatchCounters(enqueued: 10, delivered: 10, failed: 0, dropped: 0))
        #expect(dispatcher.stats["b"] == DispatchCounters(enqueued: 10, delivered: 9, failed: 1, dropped: 0))
        #expect(!dispatcher.enqueue(sampleNotification(key: "late")))  // finished: refused and counted
        #expect(dispatcher.stats["a"]?.dropped == 1)
    }

    /// A stuck notifier fills its queue; enqueue never waits, extra notifications are dropped and
    /// counted, and the other notifier still gets everything.
    @Test func fullQueueDropsWithoutBlocking() async throws {
        let (gate, open) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .unbounded)
        let slow = RecordingNotifier(name: "slow", gate: gate)
        let fast = RecordingNotifier(name: "fast")
        let dispatcher = NotificationDispatcher(notifiers: [slow, fast], capacity: 2)
        #expect(dispatcher.enqueue(sampleNotification(key: "k0")))
        while slow.startedCount == 0 || fast.keys.isEmpty { try await Task.sleep(for: .milliseconds(1)) }
        var accepted = 0
        for i in 1...2 { accepted += dispatcher.enqueue(sampleNotification(key: "k\(i)")) ? 1 : 0 }
        while fast.keys.count < 3 { try await Task.sleep(for: .milliseconds(1)) }
        for i in 3..<10 { accepted += dispatcher.enqueue(sampleNotification(key: "k\(i)")) ? 1 : 0 }
        #expect(accepted == 2)  // k1, k2 fit in the slow queue; k3...k9 do not
        #expect(dispatcher.stats["slow"]?.dropped == 7)
        for _ in 0..<3 { open.yield() }
        await dispatcher.finish()
        #expect(slow.keys == ["k0", "k1", "k2"])
        #expect(dispatcher.stats["fast"]?.dropped ?? 0 <= 7 && fast.keys.first == "k0")
    }
}
