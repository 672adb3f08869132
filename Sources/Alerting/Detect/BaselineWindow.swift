/// The baseline of one series: the points of the last `window` ms in a ring buffer bounded by
/// `capacity`, with running sums for mean, variance and a least-squares trend line, the sums of
/// the newest `recentCount` points (short-window variance), and a sorted mirror for median/MAD.
///
/// Denser series are subsampled: a point is kept only `window / capacity` ms after the previous
/// kept one. Running sums are taken relative to an anchor (time and value) that is reset, with the
/// sums recomputed exactly, every `capacity` appends, so rounding never accumulates.
struct BaselineWindow: Sendable {
    let window: Int64
    let capacity: Int
    let recentCount: Int
    let minSpacing: Int64

    private var times: [Int64]
    private var raws: [Double]
    private var values: [Double]
    private var head = 0
    private(set) var count = 0
    private var lastKept: Int64 = .min
    private var appendsSinceRecompute = 0
    private(set) var sorted: SortedSample

    private var anchorT: Int64 = 0
    private var anchorY: Double = 0
    private var sx = 0.0, sxx = 0.0, sy = 0.0, syy = 0.0, sxy = 0.0
    private var recentN = 0
    private var ry = 0.0, ryy = 0.0

    init(window: Int64, capacity: Int, recentCount: Int) {
        self.window = max(1, window)
        self.capacity = max(4, capacity)
        self.recentCount = max(2, min(recentCount, self.capacity / 2))
        self.minSpacing = self.window / Int64(self.capacity)
        times = [Int64](repeating: 0, count: self.capacity)
        raws = [Double](repeating: 0, count: self.capacity)
        values = [Double](repeating: 0, count: self.capacity)
        sorted = SortedSample(capacity: self.capacity)
    }

    @inline(__always) private func slot(_ logical: Int) -> Int {
        let s = head &+ logical
        return s >= capacity ? s &- capacity : s
    }

    /// Whether a point at `t` is kept (subsampling of dense series).
    func keeps(_ t: Int64) -> Bool { count == 0 || t &- lastKept >= minSpacing }

    /// Drops points older than the window ending at `now`.
    mutating func evict(now: Int64) {
        let cutoff = now &- window
        while count > 0 && times[head] <= cutoff { removeOldest() }
    }

    private mutating func removeOldest() {
        let s = head
        let y = values[s] - anchorY
        let x = seconds(times[s])
        sx -= x
        sxx -= x * x
        sy -= y
        syy -= y * y
        sxy -= x * y
        if recentN == count {
            ry -= y
            ryy -= y * y
            recentN -= 1
        }
        sorted.remove(values[s])
        head = slot(1)
        count -= 1
    }

    @inline(__always) private func seconds(_ t: Int64) -> Double { Double(t &- anchorT) * 0.001 }

    /// Appends a point (raw value and the residual value the statistics use); returns the point
    /// that thereby left the newest `recentCount`, if one did.
    @discardableResult
    mutating func append(t: Int64, raw: Double, value: Double) -> (t: Int64, value: Double)? {
        var left: (t: Int64, value: Double)?
        if count == capacity { removeOldest() }
        if count == 0 {
            anchorT = t
            anchorY = value
        }
        let s = slot(count)
        times[s] = t
        raws[s] = raw
        values[s] = value
        count += 1
        lastKept = t
        let y = value - anchorY
        let x = seconds(t)
        sx += x
        sxx += x * x
        sy += y
        syy += y * y
        sxy += x * y
        ry += y
        ryy += y * y
        recentN += 1
        if recentN > recentCount {
            let o = slot(count &- 1 &- recentCount)
            let old = values[o] - anchorY
            ry -= old
            ryy -= old * old
            recentN -= 1
            left = (times[o], values[o])
        }
        sorted.insert(value)
        appendsSinceRecompute += 1
        if appendsSinceRecompute >= capacity { recomputeSums() }
        return left
    }

    /// Recomputes every residual from the raw values (e.g. when a seasonal expectation appears).
    mutating func rebuild(_ residual: (Int64, Double) -> Double) {
        sorted.removeAll()
        for i in 0..<count {
            let s = slot(i)
            values[s] = residual(times[s], raws[s])
            sorted.insert(values[s])
        }
        recomputeSums()
    }

    /// Re-anchors and recomputes all running sums exactly.
    private mutating func recomputeSums() {
        appendsSinceRecompute = 0
        sx = 0
        sxx = 0
        sy = 0
        syy = 0
        sxy = 0
        ry = 0
        ryy = 0
        recentN = min(count, recentCount)
        guard count > 0 else { return }
        anchorT = times[head]
        anchorY = sorted.median()
        for i in 0..<count {
            let s = slot(i)
            let y = values[s] - anchorY
            let x = seconds(times[s])
            sx += x
            sxx += x * x
            sy += y
            syy += y * y
            sxy += x * y
            if i >= count &- recentN {
                ry += y
                ryy += y * y
            }
        }
    }

    /// Mean and sample stddev of the residual values.
    func level() -> (mean: Double, stddev: Double) {
        let n = Double(count)
        guard count > 1 else { return (anchorY + sy, 0) }
        let v = max(0, (syy - sy * sy / n) / (n - 1))
        return (anchorY + sy / n, v.squareRoot())
    }

    /// Least-squares line through the residual values, evaluated at `t`, and the stddev around it.
    func trend(at t: Int64) -> (mean: Double, stddev: Double) {
        let n = Double(count)
        let vx = sxx - sx * sx / n
        guard count > 2, vx > 0 else { return level() }
        let cxy = sxy - sx * sy / n
        let slope = cxy / vx
        let sse = max(0, (syy - sy * sy / n) - slope * cxy)
        let at = anchorY + sy / n + slope * (seconds(t) - sx / n)
        return (at, (sse / (n - 2)).squareRoot())
    }

    /// Variance of the newest `recentCount` points; nil until there are that many.
    func recentVariance() -> Double? {
        guard recentN >= recentCount else { return nil }
        let rn = Double(recentN)
        return max(0, (ryy - ry * ry / rn) / (rn - 1))
    }
}
