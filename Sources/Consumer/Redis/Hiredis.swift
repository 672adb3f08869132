import CHiredis
import Foundation

/// One connection to a Redis server: the only owner of a hiredis `redisContext`.
///
/// Every call is blocking (bounded by the connect and command timeouts) and serialised by a
/// lock; call it from a dedicated thread, not the cooperative pool. A failed call drops the
/// context and the next call reconnects (AUTH and SELECT included), so one object survives a
/// server restart.
public final class RedisConnection: @unchecked Sendable {
    /// Endpoint, credentials, database and timeouts this connection uses.
    public let options: RedisOptions
    private let lock = NSLock()
    private var context: UnsafeMutablePointer<redisContext>?
    // Reused across calls so building argv does not allocate per argument.
    private var argBytes: [UInt8] = []
    private var argOffsets: [Int] = []
    private var argPointers: [UnsafePointer<CChar>?] = []
    private var argLengths: [Int] = []

    /// hiredis writes with write(2): a peer that closed would raise SIGPIPE and kill the process.
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// Connects, enables keep-alive, and sends AUTH and SELECT as configured.
    public init(options: RedisOptions) throws(RedisError) {
        Self.ignoreSIGPIPE
        self.options = options
        lock.lock()
        defer { lock.unlock() }
        _ = try liveContext()
    }

    deinit {
        if let context { redisFree(context) }
    }

    /// Whether a context is open (it may still find the peer gone on the next call).
    public var isConnected: Bool {
        lock.lock()
        defer { lock.unlock() }
        return context != nil
    }

    /// Closes the socket; the next call reconnects.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        drop()
    }

    /// Sends one command and waits for its reply.
    public func command(_ arguments: RedisArgument...) throws(RedisError) -> RedisReply {
        let replies = try pipeline([arguments])
        guard let reply = replies.first else {
            throw .protocolError(endpoint: options.endpoint, detail: "no reply")
        }
        return reply
    }

    /// Sends all commands in one write and reads their replies in order: one round trip.
    /// Error replies come back as `.error`; transport failures throw and drop the connection.
    /// Every command needs at least its name (a programmer error otherwise).
    public func pipeline(_ commands: [[RedisArgument]]) throws(RedisError) -> [RedisReply] {
        lock.lock()
        defer { lock.unlock() }
        let ctx = try liveContext()
        return try run(commands, on: ctx)
    }

    private func run(_ commands: [[RedisArgument]], on ctx: UnsafeMutablePointer<redisContext>) throws(RedisError) -> [RedisReply] {
        for command in commands {
            precondition(!command.isEmpty, "a Redis command needs at least its name")
            guard append(command, to: ctx) == REDIS_OK else { throw failure(ctx) }
        }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(ctx, &raw) == REDIS_OK, let raw else { throw failure(ctx) }
            replies.append(Self.convert(raw.assumingMemoryBound(to: redisReply.self)))
            freeReplyObject(raw)
        }
        return replies
    }

    /// Formats one command into hiredis' output buffer (no I/O yet).
    private func append(_ command: [RedisArgument], to ctx: UnsafeMutablePointer<redisContext>) -> Int32 {
        argBytes.removeAll(keepingCapacity: true)
        argOffsets.removeAll(keepingCapacity: true)
        argLengths.removeAll(keepingCapacity: true)
        for argument in command {
            argOffsets.append(argBytes.count)
            argument.append(to: &argBytes)
            argLengths.append(argBytes.count - argOffsets[argOffsets.count - 1])
        }
        argBytes.append(0)  // never empty, so the base address exists
        return argBytes.withUnsafeBufferPointer { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress!)
            argPointers.removeAll(keepingCapacity: true)
            for offset in argOffsets { argPointers.append((base + offset).assumingMemoryBound(to: CChar.self)) }
            return argPointers.withUnsafeMutableBufferPointer { argv in
                argLengths.withUnsafeBufferPointer { lengths in
                    redisAppendCommandArgv(ctx, Int32(command.count), argv.baseAddress, lengths.baseAddress)
                }
            }
        }
    }

    /// The open context, reconnecting first when there is none or the peer has hung up.
    private func liveContext() throws(RedisError) -> UnsafeMutablePointer<redisContext> {
        if let context {
            if !Self.peerHungUp(context) { return context }
            drop()
        }
        let ctx = try connect()
        context = ctx
        do {
            try setUp(ctx)
        } catch {
            drop()
            throw error
        }
        return ctx
    }

    private func connect() throws(RedisError) -> UnsafeMutablePointer<redisContext> {
        errno = 0
        guard let ctx = redisConnectWithTimeout(options.host, Int32(options.port), Self.timeval(options.connectTimeout)) else {
            throw .protocolError(endpoint: options.endpoint, detail: "hiredis could not allocate a context")
        }
        if ctx.pointee.err != 0 {
            let error = failure(ctx)
            redisFree(ctx)
            throw error
        }
        _ = redisSetTimeout(ctx, Self.timeval(options.commandTimeout))
        if options.keepAlive { _ = redisEnableKeepAlive(ctx) }
        return ctx
    }

    /// AUTH and SELECT in one round trip.
    private func setUp(_ ctx: UnsafeMutablePointer<redisContext>) throws(RedisError) {
        var commands: [[RedisArgument]] = []
        if let password = options.password { commands.append(["AUTH", .string(password)]) }
        if options.database != 0 { commands.append(["SELECT", .integer(Int64(options.database))]) }
        if commands.isEmpty { return }
        let replies = try run(commands, on: ctx)
        for (command, reply) in zip(commands, replies) {
            guard let message = reply.errorMessage else { continue }
            if command.first == "AUTH" { throw .authenticationFailed(endpoint: options.endpoint, detail: message) }
            throw .commandFailed(endpoint: options.endpoint, message: "SELECT \(options.database): \(message)")
        }
    }

    private func drop() {
        if let context { redisFree(context) }
        context = nil
    }

    /// With no request outstanding the socket must be silent: readable means EOF (server restart,
    /// idle timeout) or an error, so reconnect instead of failing the next pipeline.
    private static func peerHungUp(_ ctx: UnsafeMutablePointer<redisContext>) -> Bool {
        var fd = pollfd(fd: ctx.pointee.fd, events: Int16(POLLIN), revents: 0)
        return poll(&fd, 1, 0) != 0
    }

    /// Maps hiredis' error state (and errno) to a typed error, dropping the broken context.
    private func failure(_ ctx: UnsafeMutablePointer<redisContext>) -> RedisError {
        let code = errno
        let detail = withUnsafeBytes(of: ctx.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        let err = ctx.pointee.err
        if ctx == context { drop() }
        let endpoint = options.endpoint
        switch err {
        case REDIS_ERR_EOF:
            return .connectionClosed(endpoint: endpoint, detail: detail)
        case REDIS_ERR_PROTOCOL, REDIS_ERR_OOM:
            return .protocolError(endpoint: endpoint, detail: detail)
        default:
            if code == ECONNREFUSED || detail.contains("refused") || detail.contains("resolve") {
                return .connectionRefused(endpoint: endpoint, detail: detail)
            }
            if code == EAGAIN || code == ETIMEDOUT || code == EINPROGRESS || detail.contains("timed out") {
                return .timeout(endpoint: endpoint, detail: detail.isEmpty ? "no answer in time" : detail)
            }
            if detail.contains("NOAUTH") {
                return .authenticationFailed(endpoint: endpoint, detail: detail)
            }
            return .connectionClosed(endpoint: endpoint, detail: detail.isEmpty ? "I/O error \(code)" : detail)
        }
    }

    private static func convert(_ reply: UnsafeMutablePointer<redisReply>) -> RedisReply {
        let r = reply.pointee
        switch r.type {
        case REDIS_REPLY_STRING:
            guard let str = r.str else { return .string([]) }
            return .string(Array(UnsafeRawBufferPointer(start: str, count: r.len)))
        case REDIS_REPLY_STATUS:
            return .status(text(r))
        case REDIS_REPLY_ERROR:
            return .error(text(r))
        case REDIS_REPLY_INTEGER:
            return .integer(Int64(r.integer))
        case REDIS_REPLY_ARRAY:
            guard let element = r.element else { return .array([]) }
            var out: [RedisReply] = []
            out.reserveCapacity(r.elements)
            for i in 0..<r.elements {
                if let child = element[i] { out.append(convert(child)) } else { out.append(.nil) }
            }
            return .array(out)
        default:
            return .nil
        }
    }

    private static func text(_ r: redisReply) -> String {
        guard let str = r.str else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: str, count: r.len), as: UTF8.self)
    }

    private static func timeval(_ d: Duration) -> Glibc.timeval {
        let (seconds, attoseconds) = d.components
        return Glibc.timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
