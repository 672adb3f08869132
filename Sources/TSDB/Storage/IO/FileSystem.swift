#if canImport(Glibc)
    import Glibc
#endif

/// The one layer every store syscall goes through, so tests can inject ENOSPC, EIO or a failed
/// fsync (`faults`), and so the crash-safe idiom (write tmp, fsync, rename, fsync dir) lives in
/// one place.
public struct FileSystem: Sendable {
    public let faults: FaultPlan?

    public init(faults: FaultPlan? = nil) { self.faults = faults }

    public static let posix = FileSystem()

    func injected(_ op: FaultPlan.Operation, _ path: String) throws(IOError) {
        if let e = faults?.check(op, path: path) { throw IOError(op.rawValue, path: path, errno: e) }
    }

    public func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    public func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    public func fileSize(_ path: String) -> Int64 {
        var st = stat()
        return stat(path, &st) == 0 ? Int64(st.st_size) : 0
    }

    public func makeDirectory(_ path: String) throws(IOError) {
        try injected(.create, path)
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw IOError("mkdir", path: path, errno: errno) }
    }

    public func makeDirectories(_ path: String) throws(IOError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if !isDirectory(current) { try makeDirectory(current) }
        }
    }

    /// Names in a directory, sorted, without `.` and `..`.
    public func list(_ path: String) throws(IOError) -> [String] {
        guard let dir = opendir(path) else { throw IOError("opendir", path: path, errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Regular files below `path`, recursively (unreadable directories count as empty).
    public func countFiles(under path: String) -> Int {
        guard let names = try? list(path) else { return 0 }
        return names.reduce(0) { n, name in
            let child = path + "/" + name
            return n + (isDirectory(child) ? countFiles(under: child) : 1)
        }
    }

    public func remove(_ path: String) throws(IOError) {
        if unlink(path) != 0 && errno != ENOENT { throw IOError("unlink", path: path, errno: errno) }
    }

    /// Removes a file, or a directory and the plain files in it (block directories have no
    /// subdirectories); nothing when neither exists.
    public func removeItem(_ path: String) throws(IOError) {
        guard isDirectory(path) else { return try remove(path) }
        for name in try list(path) { try remove(path + "/" + name) }
        if rmdir(path) != 0 && errno != ENOENT { throw IOError("rmdir", path: path, errno: errno) }
    }

    public func rename(_ from: String, _ to: String) throws(IOError) {
        try injected(.rename, to)
        if Glibc.rename(from, to) != 0 { throw IOError("rename", path: "\(from) -> \(to)", errno: errno) }
    }

    public func syncDirectory(_ path: String) throws(IOError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw IOError("open", path: path, errno: errno) }
        defer { close(fd) }
        try injected(.fsync, path)
        if fsync(fd) != 0 { throw IOError("fsync", path: path, errno: errno) }
    }

    /// fdatasync of `fd` (a `dup` the caller owns; closed here), through the fault plan.
    func syncDuplicate(_ fd: Int32, path: String) throws(IOError) {
        defer { close(fd) }
        try injected(.fsync, path)
        if fdatasync(fd) != 0 { throw IOError("fsync", path: path, errno: errno) }
    }

    public func readFile(_ path: String) throws(IOError) -> [UInt8] {
        let file = try FileHandle(openForReadingAt: path, fileSystem: self)
        defer { file.close() }
        return try file.readAll()
    }

    /// The crash-safe way to (re)place a small file: write `path.tmp`, fsync, rename, fsync dir.
    public func writeAtomically(_ path: String, _ bytes: [UInt8]) throws(IOError) {
        let tmp = path + ".tmp"
        do {
            let file = try FileHandle(creatingAt: tmp, fileSystem: self)
            defer { file.close() }
            try file.write(bytes)
            try file.sync()
            try rename(tmp, path)
            try syncDirectory(parent(of: path))
        } catch {
            try? remove(tmp)
            throw error
        }
    }

    public func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
