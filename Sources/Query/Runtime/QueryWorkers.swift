import TSDB

#if canImport(Glibc)
    import Glibc
#endif

/// The threads that evaluate queries: at most `threads` at once, `maxQueued` waiting, the rest
/// refused. The threads run at a lower CPU priority (nice 10) than ingest, so a burst of heavy
/// queries slows queries, not appends; an idle thread exits after a while.
public final class QueryWorkers: @unchecked Sendable {
    public let threads: Int
    public let maxQueued: Int
    public let niceness: Int32
    private let condition = Condition()
    private var jobs: [@Sendable () -> Void] = []
    private var head = 0
    private var workers = 0
    private var idle = 0

    public init(threads: Int, maxQueued: Int, niceness: Int32 = 10) {
        self.threads = max(1, threads)
        self.maxQueued = max(0, maxQueued)
        self.niceness = niceness
    }

    /// Queries waiting for a thread.
    public var queued: Int { condition.withLock { jobs.count - head } }

    /// Runs `work` on a worker thread; throws `QueryWorkersBusy` when the queue is full.
    public func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws(QueryWorkersBusy) -> T {
        let result: Result<T, QueryWorkersBusy> = await withCheckedContinuation { continuation in
            let accepted = enqueue { continuation.resume(returning: .success(work())) }
            if !accepted { continuation.resume(returning: .failure(QueryWorkersBusy(queued: maxQueued))) }
        }
        return try result.get()
    }

    private func enqueue(_ job: @escaping @Sendable () -> Void) -> Bool {
        condition.withLock {
            let waiting = jobs.count - head
            let canStart = workers < threads
            guard canStart || idle > waiting || waiting < maxQueued else { return false }
            jobs.append(job)
            if idle > waiting {
                condition.signalOne()
            } else if canStart {
                workers += 1
                OSThread.detach { [self] in loop() }
            }
            return true
        }
    }

    private func loop() {
        // On Linux the nice value is per thread, and `who` 0 names the calling thread.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        while let job = next() { job() }
    }

    /// The next job, or nil once the thread has been idle for 30 s (it then exits).
    private func next() -> (@Sendable () -> Void)? {
        condition.withLock {
            let giveUp = Int64(monotonicSeconds() * 1000) + 30_000
            while head == jobs.count {
                if Int64(monotonicSeconds() * 1000) >= giveUp {
                    workers -= 1
                    return nil
                }
                idle += 1
                condition.wait(untilMs: giveUp)
                idle -= 1
            }
            let job = jobs[head]
            head += 1
            if head > 1024 && head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            return job
        }
    }
}

/// Every query thread is busy and the queue is full.
public struct QueryWorkersBusy: Error, Sendable, CustomStringConvertible {
    public var queued: Int
    public var description: String { "too many queries: \(queued) are already waiting; retry later" }
}
