/// An in-memory seasonal baseline: per time-of-day bucket (default 288 five-minute buckets), an
/// EWMA across days of the bucket's mean and within-bucket variance.
///
/// A bucket's points of the current day are accumulated apart and folded in when the stream moves
/// to the next bucket, so an expectation never contains today's points. Points are winsorised to
/// the bucket's mean ± `clip` stddevs before they are learned, so an incident does not teach
/// itself as tomorrow's normal. The expectation at `t` is the (1, 2, 1)-weighted blend of the
/// bucket and its two neighbours, counting only neighbours folded in on a previous day.
public struct DailyProfileBaseline: SeasonalBaseline {
    public static let day: Int64 = 86_400_000

    /// Number of buckets per day.
    public let buckets: Int
    /// Weight of the newest day in the EWMA (0...1).
    public let alpha: Double
    /// Winsorisation of learned points, in bucket stddevs.
    public let clip: Double
    private let width: Int64

    private var mean: [Double]
    private var variance: [Double]
    /// Absolute bucket number (t / width) last folded into each bucket; .min when never.
    private var folded: [Int64]

    private var current: Int64 = .min
    private var accN = 0.0, accMean = 0.0, accM2 = 0.0

    /// A profile with `buckets` buckets per day (must divide a day evenly; 288 = 5 minutes).
    public init(buckets: Int = 288, alpha: Double = 0.3, clip: Double = 3) {
        let b = max(1, buckets)
        self.buckets = b
        self.width = max(1, Self.day / Int64(b))
        self.alpha = min(1, max(0.01, alpha))
        self.clip = clip
        mean = [Double](repeating: 0, count: b)
        variance = [Double](repeating: 0, count: b)
        folded = [Int64](repeating: .min, count: b)
    }

    @inline(__always) private func absolute(_ t: Int64) -> Int64 {
        t >= 0 ? t / width : (t &+ 1) / width &- 1
    }

    @inline(__always) private func index(_ abs: Int64) -> Int {
        let b = Int64(buckets)
        return Int(((abs % b) + b) % b)
    }

    /// Expectation from previous days at `timestamp`; nil until its bucket has a previous day.
    public func expected(at timestamp: Int64) -> (mean: Double, stddev: Double)? {
        let a = absolute(timestamp)
        guard learned(a) else { return nil }
        let c = index(a)
        var w = 2.0
        var m = 2 * mean[c]
        var v = 2 * variance[c]
        if learned(a &- 1) {
            let i = index(a &- 1)
            w += 1
            m += mean[i]
            v += variance[i]
        }
        if learned(a &+ 1) {
            let i = index(a &+ 1)
            w += 1
            m += mean[i]
            v += variance[i]
        }
        return (m / w, (v / w).squareRoot())
    }

    /// Whether the bucket of absolute number `na` was folded in on a previous day.
    @inline(__always) private func learned(_ na: Int64) -> Bool {
        let f = folded[index(na)]
        return f != .min && f <= na &- Int64(buckets)
    }

    /// Learns a point (winsorised), folding the previous bucket in when the bucket changes.
    public mutating func observe(timestamp: Int64, value: Double) {
        guard value.isFinite else { return }
        let a = absolute(timestamp)
        if a != current {
            fold()
            current = a
        }
        var x = value
        let i = index(a)
        if folded[i] != .min && variance[i] > 0 {
            let s = clip * variance[i].squareRoot()
            x = min(max(x, mean[i] - s), mean[i] + s)
        }
        accN += 1
        let d = x - accMean
        accMean += d / accN
        accM2 += d * (x - accMean)
    }

    private mutating func fold() {
        defer {
            accN = 0
            accMean = 0
            accM2 = 0
        }
        guard accN > 0, current != .min else { return }
        let i = index(current)
        let v = accN > 1 ? accM2 / (accN - 1) : variance[i]
        if folded[i] == .min {
            mean[i] = accMean
            variance[i] = v
        } else {
            mean[i] += alpha * (accMean - mean[i])
            variance[i] += alpha * (v - variance[i])
        }
        folded[i] = current
    }
}
