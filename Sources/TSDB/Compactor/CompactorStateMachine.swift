/// When the background compactor runs: every `interval`, soon after a head cut asks for it,
/// and after a failure with exponential backoff (1 s doubling up to `maxBackoff`). Pure: the
/// owner feeds it the time and the outcomes and performs the action it returns.
struct CompactorStateMachine: Sendable, Equatable {
    enum State: Sendable, Equatable {
        /// Waiting for the next scheduled run, or for a wake-up.
        case idle(nextRun: Int64)
        case running
        /// The last `failures` runs failed; the next try is at `retryAt`.
        case backingOff(failures: Int, retryAt: Int64)
        case stopped
    }

    enum Action: Sendable, Equatable {
        case compact
        /// Sleep until this monotonic time (ms), or until woken.
        case wait(until: Int64)
        case exit
    }

    static let firstBackoff: Int64 = 1000
    let interval: Int64
    let maxBackoff: Int64
    private(set) var state: State
    /// A run was asked for (a head was frozen) while waiting or running.
    private var wakeRequested = false

    init(interval: Int64, maxBackoff: Int64 = 300_000, now: Int64) {
        self.interval = max(1, interval)
        self.maxBackoff = max(CompactorStateMachine.firstBackoff, maxBackoff)
        state = .idle(nextRun: now &+ self.interval)
    }

    /// What to do at `now`.
    mutating func next(now: Int64) -> Action {
        switch state {
        case .stopped:
            return .exit
        case .running:
            return .wait(until: now &+ interval)
        case .idle(let nextRun):
            guard wakeRequested || now >= nextRun else { return .wait(until: nextRun) }
            wakeRequested = false
            state = .running
            return .compact
        case .backingOff(_, let retryAt):
            // A wake-up does not cut a backoff short: a failing disk is not hammered.
            guard now >= retryAt else { return .wait(until: retryAt) }
            wakeRequested = false
            state = .running
            return .compact
        }
    }

    /// The run that `.compact` started has ended.
    mutating func finished(success: Bool, now: Int64) {
        guard case .running = state else { return }
        if success {
            failures = 0
            state = .idle(nextRun: now &+ interval)
        } else {
            failures += 1
            let delay = min(maxBackoff, CompactorStateMachine.firstBackoff << Int64(min(failures - 1, 20)))
            state = .backingOff(failures: failures, retryAt: now &+ delay)
        }
    }

    /// Consecutive failed runs (0 after a success).
    private(set) var failures = 0

    /// A run is wanted soon: honoured when idle, at the end of a backoff otherwise.
    mutating func wake() {
        if case .stopped = state { return }
        wakeRequested = true
    }

    mutating func stop() { state = .stopped }
}
