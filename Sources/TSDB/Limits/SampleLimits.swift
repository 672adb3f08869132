#if canImport(Glibc)
    import Glibc
#endif

/// The limits every sample obeys, enforced where samples enter (append, import, Kafka, HTTP)
/// and accepted wherever they are read back.
public enum SampleLimits {
    /// 1970-01-01T00:00:00Z, the earliest timestamp a sample may carry (ms).
    public static let minTimestamp: Int64 = 0
    /// 2200-01-01T00:00:00Z, the first timestamp past the latest a sample may carry (ms).
    public static let endTimestamp: Int64 = 7_258_118_400_000
    /// The documented range, as text for error messages.
    public static let timestampRangeText = "1970-01-01T00:00:00Z ..< 2200-01-01T00:00:00Z"

    @inline(__always) public static func isValidTimestamp(_ t: Int64) -> Bool { t >= minTimestamp && t < endTimestamp }

    /// Wall-clock milliseconds since the epoch.
    public static func wallClockMs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
