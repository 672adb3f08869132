import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What the background compactor has done, for `/metrics`.
public struct CompactorStats: Sendable, Equatable {
    /// Upper bounds of the duration histogram, seconds (`+Inf` implicit).
    public static let durationBounds: [Double] = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300]

    public var succeeded = 0
    public var failed = 0
    /// Runs that found nothing to do (counted in `succeeded` too).
    public var idle = 0
    /// Per bucket of `durationBounds` (not cumulative), `+Inf` last.
    public var durationCounts = [Int](repeating: 0, count: CompactorStats.durationBounds.count + 1)
    public var durationSum = 0.0
    public var bytesWritten: Int64 = 0
    public var blocksWrittenFromHeads = 0
    public var consecutiveFailures = 0
    public var lastError: String?
    /// Wall-clock ms of the last successful run.
    public var lastSuccess: Int64?

    mutating func observe(seconds: Double) {
        durationCounts[Self.durationBounds.firstIndex { seconds <= $0 } ?? Self.durationBounds.count] += 1
        durationSum += seconds
    }
}

/// The store's background compactor: on its own thread (compaction is blocking file work and
/// stays off the cooperative pool), it writes frozen heads to blocks, cuts a head whose range
/// ended a while ago (so rollups become durable within one block duration plus
/// `headGrace` plus the interval even when ingest stops), merges blocks up the ladder, builds
/// rollups and applies retention; failures are logged and retried with backoff.
public final class Compactor: @unchecked Sendable {
    public let store: Store
    public let interval: Int64
    /// How long after its range ended an idle head is cut.
    public let headGrace: Int64
    private let logger: Logger
    private let condition = Condition()
    private var machine: CompactorStateMachine
    private var statsStorage = CompactorStats()
    private var running = false
    private var finished = false

    public init(store: Store, interval: Int64 = StoreOptions.minute, headGrace: Int64 = StoreOptions.minute, logger: Logger) {
        self.store = store
        self.interval = max(1, interval)
        self.headGrace = max(0, headGrace)
        self.logger = logger
        machine = CompactorStateMachine(interval: self.interval, now: Compactor.monotonicMs())
    }

    public var stats: CompactorStats { condition.withLock { statsStorage } }

    /// True while a run is in progress (benchmarks sample it to time appends during compaction).
    public var isCompacting: Bool { condition.withLock { machine.state == .running } }

    /// Starts the thread; appends that freeze the head wake it instead of writing the block.
    public func start() {
        condition.withLock {
            guard !running else { return }
            running = true
            OSThread.detach { [self] in loop() }
        }
        store.setCutHandler { [weak self] in self?.wake() }
    }

    /// Asks for a run soon (a head was frozen).
    public func wake() {
        condition.withLock { machine.wake() }
        condition.signal()
    }

    /// Stops after the run in progress; frozen heads not written yet stay in the WAL.
    public func stop() {
        store.setCutHandler(nil)
        condition.withLock { machine.stop() }
        condition.signal()
        condition.withLock {
            while running && !finished { condition.wait(untilMs: Compactor.monotonicMs() + 100) }
        }
    }

    /// One run now, on the caller's thread (tests, `tsdb compact`).
    @discardableResult
    public func runOnce() throws(StoreError) -> CompactionReport {
        let written = try store.writeFrozenHeads()
        store.cutIdleHead(grace: headGrace)
        var report = try store.compact()
        report.rawBlocksOut += written
        return report
    }

    private func loop() {
        while true {
            let action = condition.withLock { () -> CompactorStateMachine.Action in
                var action = machine.next(now: Compactor.monotonicMs())
                while case .wait(let until) = action {
                    condition.wait(untilMs: until)
                    action = machine.next(now: Compactor.monotonicMs())
                }
                return action
            }
            switch action {
            case .exit:
                condition.withLock { finished = true }
                condition.signal()
                return
            case .wait:
                continue
            case .compact:
                runAndRecord()
            }
        }
    }

    private func runAndRecord() {
        let started = Compactor.monotonicMs()
        let previousFailures = condition.withLock { machine.failures }
        var outcome: Result<CompactionReport, StoreError>
        do { outcome = .success(try runOnce()) } catch { outcome = .failure(error) }
        if case .failure(.closed) = outcome {
            // The store was closed under us (its owner is shutting down): stop, nothing failed.
            condition.withLock { machine.stop() }
            return
        }
        let seconds = Double(Compactor.monotonicMs() - started) / 1000
        condition.withLock {
            statsStorage.observe(seconds: seconds)
            switch outcome {
            case .success(let report):
                statsStorage.succeeded += 1
                if report.isEmpty { statsStorage.idle += 1 }
                statsStorage.bytesWritten += report.bytesWritten
                statsStorage.consecutiveFailures = 0
                statsStorage.lastError = nil
                statsStorage.lastSuccess = SampleLimits.wallClockMs()
            case .failure(let error):
                statsStorage.failed += 1
                statsStorage.consecutiveFailures = previousFailures + 1
                statsStorage.lastError = "\(error)"
            }
            machine.finished(success: (try? outcome.get()) != nil, now: Compactor.monotonicMs())
        }
        switch outcome {
        case .success(let r) where !r.isEmpty:
            logger.info(
                "compaction: \(r.rawBlocksIn) raw blocks into \(r.rawBlocksOut), \(r.rollupBlocksIn) rollup blocks into \(r.rollupBlocksOut), \(r.samplesRolledUp) samples rolled up, \(r.expiredRawBlocks + r.expiredRollupBlocks) blocks expired, \(r.bytesWritten) bytes in \(seconds) s"
            )
        case .success:
            break
        case .failure(let error):
            logger.error(
                "compaction failed (\(previousFailures + 1) in a row; retrying with backoff, retention still applied): \(error)")
        }
    }

    static func monotonicMs() -> Int64 { Int64(monotonicSeconds() * 1000) }
}
