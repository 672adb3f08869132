import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for webhook tests: answers the first `failures` requests
/// with `failStatus`, the rest with 200, and records every request. One connection at a time.
final class WebhookTestReceiver: Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: Data
    }

    let port: UInt16
    private let fd: Int32
    private let failures: Int
    private let failStatus: Int
    private let received = Mutex<[Request]>([])
    private let done = Mutex(false)

    init(failures: Int, failStatus: Int = 500) throws {
        self.failures = failures
        self.failStatus = failStatus
        let (fd, port) = try Self.listen()
        self.fd = fd
        self.port = port
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    deinit { stop() }

    var url: URL { URL(string: "http://127.0.0.1:\(port)/hook")! }
    var requests: [Request] { received.withLock { $0 } }

    func stop() {
        let first = done.withLock { d in
            defer { d = true }
            return !d
        }
        // Only wake the accept loop: it closes the socket itself, so the descriptor number cannot
        // be reused by another receiver while this loop might still call accept on it.
        if first { _ = shutdown(fd, Int32(SHUT_RDWR)) }
    }

    /// A port nothing listens on (bound, then closed).
    static func unusedPort() throws -> UInt16 {
        let (fd, port) = try listen()
        _ = close(fd)
        return port
    }

    private static func listen() throws -> (Int32, UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, len) == 0 && Glibc.listen(fd, 16) == 0 && getsockname(fd, sa, &len) == 0
            }
        }
        guard ok else {
            _ = close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        return (fd, UInt16(bigEndian: addr.sin_port))
    }

    private func serve() {
        while true {
            let c = accept(fd, nil, nil)
            guard c >= 0 else {
                if errno == EINTR { continue }
                _ = close(fd)
                return
            }
            handle(c)
            _ = close(c)
        }
    }

    private func handle(_ c: Int32) {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        let separator = Data("\r\n\r\n".utf8)
        var request: Request?
        while request == nil {
            let n = read(c, &buffer, buffer.count)
            guard n > 0 else { return }
            data.append(contentsOf: buffer[0..<n])
            guard let end = data.range(of: separator) else { continue }
            let head = String(decoding: data[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
            let start = (head.first ?? "").split(separator: " ").map(String.init)
            var headers: [String: String] = [:]
            for line in head.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            guard data.count - end.upperBound >= length else { continue }
            let body = data[end.upperBound..<(end.upperBound + length)]
            request = Request(method: start.first ?? "", path: start.count > 1 ? start[1] : "", headers: headers, body: Data(body))
        }
        guard let request else { return }
        let index = received.withLock { r in
            r.append(request)
            return r.count
        }
        let status = index <= failures ? failStatus : 200
        let text = status == 200 ? "ok" : "fail"
        let response = "HTTP/1.1 \(status) X\r\nContent-Length: \(text.utf8.count)\r\nConnection: close\r\n\r\n\(text)"
        _ = Array(response.utf8).withUnsafeBytes { write(c, $0.baseAddress, $0.count) }
    }
}
