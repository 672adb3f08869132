#if canImport(Glibc)
    import Glibc
#endif

/// CPU time, peak memory and a monotonic clock of this process, for import summaries and
/// benchmarks.
public enum ProcessStats {
    private static func usage() -> rusage {
        var u = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
        return u
    }

    /// User + system CPU seconds so far.
    public static func cpuSeconds() -> Double {
        let u = usage()
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
    }

    /// Peak resident set size in MiB (Linux reports KiB).
    public static func peakRSSMB() -> Double { Double(usage().ru_maxrss) / 1024 }

    /// Current resident set size in MiB, from /proc/self/statm (0 where unavailable).
    public static func currentRSSMB() -> Double {
        guard let file = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 128)
        guard fgets(&line, Int32(line.count), file) != nil else { return 0 }
        let fields = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).split(separator: " ")
        guard fields.count >= 2, let pages = Double(fields[1]) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    public static func now() -> Double { monotonicSeconds() }
}
