#if canImport(Glibc)
    import Glibc
#endif

/// A mutex with a condition variable (the compactor's sleep-or-wake loop, the query workers' queue).
public final class Condition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    public init() {
        pthread_mutex_init(mutex, nil)
        var attr = pthread_condattr_t()
        pthread_condattr_init(&attr)
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC)
        pthread_cond_init(cond, &attr)
        pthread_condattr_destroy(&attr)
    }

    deinit {
        pthread_cond_destroy(cond)
        pthread_mutex_destroy(mutex)
        cond.deallocate()
        mutex.deallocate()
    }

    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Waits (the lock held by the caller) until signalled or the monotonic time `untilMs`.
    public func wait(untilMs: Int64) {
        var ts = timespec(tv_sec: Int(untilMs / 1000), tv_nsec: Int(untilMs % 1000) * 1_000_000)
        pthread_cond_timedwait(cond, mutex, &ts)
    }

    /// Waits (the lock held by the caller) until signalled.
    public func wait() { pthread_cond_wait(cond, mutex) }

    /// Wakes one waiter (the lock held by the caller).
    public func signalOne() { pthread_cond_signal(cond) }

    public func signal() {
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(cond)
        pthread_mutex_unlock(mutex)
    }
}

/// A detached POSIX thread running `body` (TSDB does not use Foundation).
public enum OSThread {
    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    public static func detach(_ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(
            &thread, nil,
            { raw in
                guard let raw else { return nil }
                let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
                box.body()
                return nil
            }, box)
        if created == 0 {
            pthread_detach(thread)
        } else {
            // No thread: run inline rather than lose the work (never expected in practice).
            Unmanaged<Box>.fromOpaque(box).takeRetainedValue().body()
        }
    }
}
