/// A sorted multiset of doubles with O(log n) median and MAD, for the robust z-score.
///
/// Insert and remove are a binary search plus a memmove (n is bounded by the baseline's
/// `maxBaselinePoints`, so the move is a few KB at most).
struct SortedSample: Sendable {
    private(set) var values: [Double] = []

    init(capacity: Int) { values.reserveCapacity(capacity) }

    var count: Int { values.count }

    mutating func removeAll() { values.removeAll(keepingCapacity: true) }

    /// First index whose value is not below `x`.
    private func lowerBound(_ x: Double) -> Int {
        var lo = 0
        var hi = values.count
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            if values[mid] < x { lo = mid &+ 1 } else { hi = mid }
        }
        return lo
    }

    mutating func insert(_ x: Double) {
        values.insert(x, at: lowerBound(x))
    }

    /// Removes one occurrence of `x` (which must have been inserted).
    mutating func remove(_ x: Double) {
        let i = lowerBound(x)
        if i < values.count && values[i] == x { values.remove(at: i) }
    }

    /// The median (mean of the two middle values when the count is even); 0 when empty.
    func median() -> Double {
        let n = values.count
        guard n > 0 else { return 0 }
        return n & 1 == 1 ? values[n >> 1] : 0.5 * (values[(n >> 1) &- 1] + values[n >> 1])
    }

    /// Median absolute deviation around `m` (the median), in O(log n).
    ///
    /// The deviations below `m` (read right to left) and above `m` (left to right) are two sorted
    /// runs; the k-th smallest of their union is found by binary search.
    func mad(around m: Double) -> Double {
        let n = values.count
        guard n > 0 else { return 0 }
        return values.withUnsafeBufferPointer { a in
            let p = lowerBound(m)
            if n & 1 == 1 { return Self.kth(n >> 1, a, p, m) }
            return 0.5 * (Self.kth((n >> 1) &- 1, a, p, m) + Self.kth(n >> 1, a, p, m))
        }
    }

    /// The k-th (0-based) smallest |a[i] - m|, with `p` the split index (a[p-1] < m <= a[p]).
    private static func kth(_ k: Int, _ a: UnsafeBufferPointer<Double>, _ p: Int, _ m: Double) -> Double {
        let nL = p
        let nR = a.count &- p
        @inline(__always) func left(_ i: Int) -> Double { m - a[p &- 1 &- i] }
        @inline(__always) func right(_ j: Int) -> Double { a[p &+ j] - m }
        // i elements come from the left run, j = k + 1 - i from the right run.
        var lo = max(0, k &+ 1 &- nR)
        var hi = min(k &+ 1, nL)
        while true {
            let i = (lo &+ hi) >> 1
            let j = k &+ 1 &- i
            if i < nL && j > 0 && right(j &- 1) > left(i) {
                lo = i &+ 1
            } else if i > 0 && j < nR && left(i &- 1) > right(j) {
                hi = i &- 1
            } else {
                let l = i > 0 ? left(i &- 1) : -Double.infinity
                let r = j > 0 ? right(j &- 1) : -Double.infinity
                return max(l, r)
            }
        }
    }
}
