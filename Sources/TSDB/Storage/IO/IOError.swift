#if canImport(Glibc)
    import Glibc
#endif

/// A failed system call: which one, on which path, and the errno it returned.
public struct IOError: Error, Equatable, Sendable, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var errno: Int32

    public init(_ operation: String, path: String, errno: Int32) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    public var isNoSpace: Bool { errno == ENOSPC || errno == EDQUOT }

    public var description: String {
        let text = String(cString: strerror(errno))
        let hint = isNoSpace ? " (free disk space; the store accepts writes again once space returns)" : ""
        return "\(operation) \(path): \(text) (errno \(errno))\(hint)"
    }
}
