import TSDB

#if canImport(Glibc)
    import Glibc
#endif

/// Standard output and error without Foundation: buffered stdout for bulk output, progress on
/// a terminal only.
enum Console {
    static var isTerminal: Bool { isatty(2) != 0 }

    static func error(_ s: String) {
        writeStderr(s + "\n")
    }

    static func print(_ s: String) {
        Swift.print(s)
        fflush(nil)
    }

    /// Rewrites the current terminal line (progress), nothing when stderr is not a terminal.
    static func progress(_ s: String) {
        guard isTerminal else { return }
        writeStderr("\r\u{1B}[K" + s)
    }

    static func endProgress() { if isTerminal { writeStderr("\n") } }

    static func writeStderr(_ s: String) { write(fd: 2, Array(s.utf8)) }

    static func writeStdout(_ bytes: [UInt8]) { write(fd: 1, bytes) }

    static func write(fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, base + done, raw.count - done)
                if n <= 0 { return }
                done += n
            }
        }
    }

    static func cpuSeconds() -> Double { ProcessStats.cpuSeconds() }

    static func now() -> Double { ProcessStats.now() }

    static func format(_ v: Double, _ decimals: Int = 2) -> String {
        var p = 1.0
        for _ in 0..<decimals { p *= 10 }
        let r = (v * p).rounded() / p
        return decimals == 0 ? String(Int(r)) : String(r)
    }
}
