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

    public static func now() -> Double { monotonicSeconds() }
}
