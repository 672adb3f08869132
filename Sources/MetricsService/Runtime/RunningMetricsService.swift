import Alerting
import Consumer
import Foundation
import Logging
import QueryHTTP
import TSDB

/// The service `MetricsServiceBuilder` built: its parts, and its lifecycle. `start()` runs the
/// alerting loop and the consumer loop (on its own thread); `stop()` asks the consumer loop to
/// finish its batch, commit and return; `shutdown()` then stops everything in order and closes
/// the store. `run()` is `start()` plus waiting for the consumer loop.
public final class RunningMetricsService: @unchecked Sendable {
    public let configuration: ServiceConfiguration
    public let logger: Logger
    public let store: Store
    /// The Redis mirror's stage (nil: no Redis).
    public let mirrorStage: MirrorStage?
    public let pipeline: IngestPipeline
    public let consumer: ConsumerService
    /// nil when built without alerting.
    public let alerting: AlertingService?
    /// nil when built without HTTP.
    public let http: RunningQueryServer?
    /// The store's background compactor (nil: COMPACTION disabled).
    public let compactor: Compactor?

    private let state = NSCondition()
    private var started = false
    private var loopDone = false
    private var loopError: Error?
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var closed = false

    init(
        configuration: ServiceConfiguration, logger: Logger, store: Store, mirrorStage: MirrorStage?, pipeline: IngestPipeline,
        consumer: ConsumerService, alerting: AlertingService?, http: RunningQueryServer?, compactor: Compactor?
    ) {
        self.compactor = compactor
        self.configuration = configuration
        self.logger = logger
        self.store = store
        self.mirrorStage = mirrorStage
        self.pipeline = pipeline
        self.consumer = consumer
        self.alerting = alerting
        self.http = http
    }

    /// The Redis mirror (nil: no Redis).
    public var mirror: RedisMirror? { mirrorStage?.mirror }
    /// The port the HTTP API is bound to (nil: no HTTP).
    public var httpPort: Int? { http?.port }

    /// Starts the alerting loop and the consumer loop on its own thread; once only.
    public func start() {
        state.lock()
        defer { state.unlock() }
        guard !started else { return }
        started = true
        compactor?.start()
        alerting?.start()
        Thread.detachNewThread { [self] in
            var failure: Error?
            do { try consumer.run() } catch { failure = error }
            state.lock()
            loopDone = true
            loopError = failure
            let resume = waiters
            waiters = []
            state.broadcast()
            state.unlock()
            for w in resume { w.resume() }
        }
    }

    /// Starts (if not started) and waits until the consumer loop returns after `stop()`;
    /// rethrows what the loop threw.
    public func run() async throws {
        start()
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            state.lock()
            if loopDone {
                state.unlock()
                done.resume()
            } else {
                waiters.append(done)
                state.unlock()
            }
        }
        if let error = state.withLock({ loopError }) { throw error }
    }

    /// Asks the consumer loop to finish its batch, commit and return (safe from any thread).
    public func stop() { consumer.stop() }

    /// Blocks until the consumer loop has returned, at most `timeout` seconds; false on timeout.
    /// Rethrows what the loop threw. For callers on their own threads (tests, benchmarks).
    @discardableResult
    public func waitForConsumer(timeout: Double) throws -> Bool {
        state.lock()
        let deadline = Date(timeIntervalSinceNow: timeout)
        while started && !loopDone && state.wait(until: deadline) {}
        let (done, error) = (loopDone || !started, loopError)
        state.unlock()
        if let error { throw error }
        return done
    }

    /// Stops the consumer loop and waits for it, then alerting (queued notifications delivered),
    /// the HTTP API, and closes the store. Once only; later calls return at once.
    public func shutdown() async throws {
        let first = state.withLock {
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        stop()
        var loopFailure: Error?
        if state.withLock({ started }) {
            do { try await run() } catch { loopFailure = error }
        } else {
            mirrorStage?.close()
        }
        compactor?.stop()
        await alerting?.stop()
        await http?.shutdown()
        try store.close()
        if let loopFailure { throw loopFailure }
    }

    /// SIGHUP: applies a re-read config file's alert rules, anomaly settings, SLOs, capacity and recording rules.
    public func reload(_ file: ServiceFileConfig) { alerting?.reload(file) }
}
