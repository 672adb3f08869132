import TSDB

/// A least-squares line through (time, value) points, with time measured in days.
public struct Trend: Sendable, Equatable {
    /// Change of the value per day.
    public var slopePerDay: Double
    /// Standard error of the slope (0 for an exact line; nil with fewer than 3 points).
    public var slopeStandardError: Double?
    /// Share of the variance the line explains (nil when every value is equal).
    public var rSquared: Double?
    /// Timestamp of the last point: "now" for `current` and `daysUntil`.
    public var referenceTime: Int64
    /// The line's value at `referenceTime`.
    public var current: Double
    public var pointCount: Int

    /// The least-squares fit of `points` (any order); nil with fewer than two distinct times or
    /// a non-finite value.
    public static func fit(_ points: [Sample]) -> Trend? {
        guard let first = points.first, points.count >= 2, points.allSatisfy({ $0.value.isFinite }) else { return nil }
        let origin = first.timestamp
        let day = Double(StoreOptions.day)
        let n = Double(points.count)
        // Days since the first point: small numbers keep the sums precise; centred sums below.
        var meanX = 0.0
        var meanY = 0.0
        for p in points {
            meanX += Double(p.timestamp &- origin) / day
            meanY += p.value
        }
        meanX /= n
        meanY /= n
        var sxx = 0.0
        var sxy = 0.0
        var syy = 0.0
        for p in points {
            let dx = Double(p.timestamp &- origin) / day - meanX
            let dy = p.value - meanY
            sxx += dx * dx
            sxy += dx * dy
            syy += dy * dy
        }
        guard sxx > 0 else { return nil }
        let slope = sxy / sxx
        // Residuals summed directly: syy - slope * sxy cancels badly on near-exact lines.
        var sse = 0.0
        for p in points {
            let r = (p.value - meanY) - slope * (Double(p.timestamp &- origin) / day - meanX)
            sse += r * r
        }
        let reference = points.map(\.timestamp).max() ?? first.timestamp
        let referenceX = Double(reference &- origin) / day
        return Trend(
            slopePerDay: slope,
            slopeStandardError: points.count > 2 ? (sse / (n - 2) / sxx).squareRoot() : nil,
            rSquared: syy > 0 ? 1 - sse / syy : nil,
            referenceTime: reference, current: meanY + slope * (referenceX - meanX), pointCount: points.count)
    }

    /// The line's value at `time`.
    public func value(at time: Int64) -> Double {
        current + slopePerDay * Double(time &- referenceTime) / Double(StoreOptions.day)
    }

    /// Whether the slope is zero or within `significance` standard errors of zero (noise).
    public func isFlat(significance: Double = 2) -> Bool {
        if slopePerDay == 0 { return true }
        guard let se = slopeStandardError else { return false }
        return slopePerDay.magnitude < significance * se
    }

    /// Days from `referenceTime` until the line reaches `limit`: an upper limit for `.above`, a
    /// lower one for `.below`. 0 when already at or past it; nil when flat (see `isFlat`) or moving away.
    public func daysUntil(_ limit: Double, direction: AlertDirection = .above, significance: Double = 2) -> Double? {
        let remaining = direction == .above ? limit - current : current - limit
        if remaining <= 0 { return 0 }
        let towards = direction == .above ? slopePerDay : -slopePerDay
        guard towards > 0, !isFlat(significance: significance) else { return nil }
        return remaining / towards
    }
}
