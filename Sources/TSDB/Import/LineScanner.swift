#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why `LineScanner` could not read a file.
public enum LineScannerError: Error, Equatable, Sendable, CustomStringConvertible {
    case open(path: String, errno: Int32)
    case read(path: String, errno: Int32)
    /// A line exceeds the limit (a corrupt or non-line-oriented file); `line` is 1-based.
    case lineTooLong(path: String, line: Int, limit: Int)

    public var description: String {
        switch self {
        case .open(let path, let e): "cannot open \(path): \(String(cString: strerror(e)))"
        case .read(let path, let e): "cannot read \(path): \(String(cString: strerror(e)))"
        case .lineTooLong(let path, let line, let limit): "\(path):\(line): line longer than \(limit) bytes"
        }
    }
}

/// Streams the lines of a (multi-GB) file with bounded memory: reads chunks with read(2),
/// carries a line split across chunks over, strips "\n", "\r\n" and a leading UTF-8 BOM,
/// delivers a final line without newline, and numbers lines from 1.
public struct LineScanner {
    private final class File {
        let fd: Int32
        var bytesRead = 0
        init(fd: Int32) { self.fd = fd }
        deinit { close(fd) }
    }

    public let path: String
    /// Size of the file at open time (0 for pipes and other non-regular files).
    public let fileSize: Int
    private let file: File
    private let chunkSize: Int
    private let maxLineLength: Int

    /// Opens `path`; `chunkSize` is the read(2) size, `maxLineLength` bounds one line's memory.
    public init(path: String, chunkSize: Int = 4 << 20, maxLineLength: Int = 64 << 20) throws(LineScannerError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .open(path: path, errno: errno) }
        var st = stat()
        fileSize = fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : 0
        self.path = path
        self.file = File(fd: fd)
        self.chunkSize = max(1, chunkSize)
        self.maxLineLength = max(1, maxLineLength)
    }

    /// Bytes read from the file so far (for progress reports, also from inside `forEachLine`).
    public var bytesRead: Int { file.bytesRead }

    /// Calls `body(line, lineNumber)` for every line to the end of the file. The buffer is only
    /// valid during the call. Empty lines are delivered too (parsers report them as empty).
    public func forEachLine(_ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        var capacity = chunkSize
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var filled = 0  // valid bytes in buffer
        var lineStart = 0  // start of the current (unfinished) line
        var scanned = 0  // bytes already searched for '\n'
        var lineNumber = 1
        var atFileStart = true

        func deliver(_ start: Int, _ end: Int) throws {
            var s = start
            var e = end
            if atFileStart {
                atFileStart = false
                if e - s >= 3 && buffer.load(fromByteOffset: s, as: UInt8.self) == 0xEF
                    && buffer.load(fromByteOffset: s + 1, as: UInt8.self) == 0xBB
                    && buffer.load(fromByteOffset: s + 2, as: UInt8.self) == 0xBF
                {
                    s += 3
                }
            }
            if e > s && buffer.load(fromByteOffset: e - 1, as: UInt8.self) == 0x0D { e -= 1 }
            try body(UnsafeRawBufferPointer(start: buffer + s, count: e - s), lineNumber)
            lineNumber += 1
        }

        while true {
            if lineStart > 0 {  // keep only the unfinished line, at the front
                let tail = filled - lineStart
                if tail > 0 { memmove(buffer, buffer + lineStart, tail) }
                filled = tail
                scanned -= lineStart
                lineStart = 0
            }
            if filled == capacity {  // one line fills the buffer: grow
                guard filled <= maxLineLength else {
                    throw LineScannerError.lineTooLong(path: path, line: lineNumber, limit: maxLineLength)
                }
                let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
                bigger.copyMemory(from: buffer, byteCount: filled)
                buffer.deallocate()
                buffer = bigger
                capacity *= 2
            }
            let n = readChunk(buffer + filled, capacity - filled)
            guard n >= 0 else { throw LineScannerError.read(path: path, errno: errno) }
            if n == 0 { break }
            filled += n
            file.bytesRead += n
            while scanned < filled {
                guard let nl = memchr(buffer + scanned, 0x0A, filled - scanned) else {
                    scanned = filled
                    break
                }
                let at = buffer.distance(to: nl)
                try deliver(lineStart, at)
                lineStart = at + 1
                scanned = at + 1
            }
        }
        if lineStart < filled { try deliver(lineStart, filled) }
    }

    /// read(2), retried on EINTR; -1 on error.
    private func readChunk(_ p: UnsafeMutableRawPointer, _ count: Int) -> Int {
        while true {
            let n = read(file.fd, p, count)
            if n >= 0 || errno != EINTR { return n }
        }
    }
}
