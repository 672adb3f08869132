#if canImport(Glibc)
    import Glibc
#endif

/// An owned file descriptor whose writes and syncs go through `FileSystem`'s fault plan.
public final class FileHandle: @unchecked Sendable {
    public let path: String
    let fd: Int32
    let fs: FileSystem
    private var isClosed = false

    public init(openForReadingAt path: String, fileSystem: FileSystem = .posix) throws(IOError) {
        self.path = path
        self.fs = fileSystem
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw IOError("open", path: path, errno: errno) }
    }

    /// Creates (truncating) a file for writing.
    public init(creatingAt path: String, fileSystem: FileSystem = .posix) throws(IOError) {
        self.path = path
        self.fs = fileSystem
        try fileSystem.injected(.create, path)
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw IOError("create", path: path, errno: errno) }
    }

    /// Opens an existing file for appending at its end (and reading, for repair).
    public init(appendingAt path: String, fileSystem: FileSystem = .posix) throws(IOError) {
        self.path = path
        self.fs = fileSystem
        fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw IOError("open", path: path, errno: errno) }
        guard lseek(fd, 0, SEEK_END) >= 0 else {
            let e = errno
            Glibc.close(fd)
            throw IOError("lseek", path: path, errno: e)
        }
    }

    deinit { close() }

    public func close() {
        if !isClosed {
            isClosed = true
            Glibc.close(fd)
        }
    }

    public var size: Int64 {
        var st = stat()
        return fstat(fd, &st) == 0 ? Int64(st.st_size) : 0
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(IOError) {
        try fs.injected(.write, path)
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw IOError("write", path: path, errno: errno)
            }
            done += n
        }
    }

    public func write(_ bytes: [UInt8]) throws(IOError) {
        if bytes.isEmpty { return }
        let result = bytes.withUnsafeBytes { raw in Result { () throws(IOError) in try write(raw) } }
        try result.get()
    }

    /// fdatasync: the data and the size reach the device before this returns.
    public func sync() throws(IOError) {
        try fs.injected(.fsync, path)
        if fdatasync(fd) != 0 { throw IOError("fsync", path: path, errno: errno) }
    }

    public func truncate(to length: Int64) throws(IOError) {
        if ftruncate(fd, off_t(length)) != 0 { throw IOError("ftruncate", path: path, errno: errno) }
        if lseek(fd, off_t(length), SEEK_SET) < 0 { throw IOError("lseek", path: path, errno: errno) }
    }

    /// Reads exactly `count` bytes at `offset`, or throws when the file is shorter.
    public func read(at offset: Int64, count: Int) throws(IOError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw IOError("pread", path: path, errno: errno)
            }
            if n == 0 { throw IOError("pread (file shorter than expected)", path: path, errno: EIO) }
            done += n
        }
        return out
    }

    public func readAll() throws(IOError) -> [UInt8] {
        let n = size
        return n == 0 ? [] : try read(at: 0, count: Int(n))
    }
}
