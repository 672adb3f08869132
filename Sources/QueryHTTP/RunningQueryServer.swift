import ServiceLifecycle
import Synchronization

/// A server started by `QueryServer.start()`: its bound port, and a way to stop it.
public final class RunningQueryServer: Sendable {
    /// The TCP port the server listens on.
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, Never>

    init(port: Int, group: ServiceGroup, task: Task<Void, Never>) {
        self.port = port
        self.group = group
        self.task = task
    }

    /// Stops accepting, finishes in-flight requests and waits for the server to end.
    public func shutdown() async {
        await group.triggerGracefulShutdown()
        await task.value
    }
}

/// One-shot hand-over of the bound port (or the failure to bind) from the server task to `start`.
final class StartSignal: Sendable {
    private enum State {
        case idle
        case waiting(CheckedContinuation<Int, any Error>)
        case done(Result<Int, any Error>)
    }

    private let state = Mutex(State.idle)

    /// The first result wins; later ones are ignored.
    func finish(_ result: Result<Int, any Error>) {
        let waiter: CheckedContinuation<Int, any Error>? = state.withLock { s in
            switch s {
            case .idle:
                s = .done(result)
                return nil
            case .waiting(let c):
                s = .done(result)
                return c
            case .done:
                return nil
            }
        }
        waiter?.resume(with: result)
    }

    func wait() async throws -> Int {
        try await withCheckedThrowingContinuation { c in
            let ready: Result<Int, any Error>? = state.withLock { s in
                switch s {
                case .idle:
                    s = .waiting(c)
                    return nil
                case .waiting:
                    preconditionFailure("StartSignal.wait called twice")
                case .done(let r):
                    return r
                }
            }
            if let ready { c.resume(with: ready) }
        }
    }
}
