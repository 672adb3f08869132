/// The one set of time-grid helpers: flooring and ceiling timestamps to multiples of a step.
/// Every function is total: no operand, however extreme, traps.
public enum TimeGrid {
    /// Largest multiple of `step` at or below `t`; `step` must be positive (a non-positive step
    /// returns `t`). Near `Int64.min`, where the multiple does not exist, returns `Int64.min`.
    @inline(__always) public static func floor(_ t: Int64, _ step: Int64) -> Int64 {
        guard step > 0 else { return t }
        let r = t % step
        if r >= 0 { return t - r }
        let (down, overflow) = (t - r).subtractingReportingOverflow(step)
        return overflow ? .min : down
    }

    /// Smallest multiple of `step` at or above `t`; near `Int64.max`, where the multiple does
    /// not exist, returns `Int64.max`.
    @inline(__always) public static func ceil(_ t: Int64, _ step: Int64) -> Int64 {
        let f = floor(t, step)
        if f == t || step <= 0 { return t }
        let (up, overflow) = f.addingReportingOverflow(step)
        return overflow ? .max : up
    }

    /// End of the `step`-aligned range holding `t` (`floor + step`), saturating at `Int64.max`.
    @inline(__always) public static func rangeEnd(_ t: Int64, _ step: Int64) -> Int64 {
        let (end, overflow) = floor(t, step).addingReportingOverflow(max(step, 0))
        return overflow ? .max : end
    }
}

extension RandomAccessCollection where Index == Int {
    /// The first index whose element satisfies `predicate`, for a predicate that is false then
    /// true along the collection (binary search): the one binary search of the project.
    @inlinable public func partitioningIndex(where predicate: (Element) throws -> Bool) rethrows -> Int {
        var lo = startIndex
        var hi = endIndex
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if try predicate(self[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
