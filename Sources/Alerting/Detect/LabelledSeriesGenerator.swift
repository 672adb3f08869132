import Foundation

/// The shape of a generated series.
public enum SeriesShape: String, Sendable, Codable, CaseIterable {
    /// CPU % with a daily cycle, day-to-day level changes and AR(1) noise.
    case cpuGauge
    /// Request latency (ms): log-normal around a daily cycle, with harmless single outliers.
    case latency
    /// A request counter (with one reset) converted to per-second rates.
    case counterRate
}

/// The kind of an injected incident.
public enum IncidentKind: String, Sendable, Codable, CaseIterable {
    /// The level moves by 3-4 σ for 30-90 points.
    case levelShift
    /// 3-5 points 5-7 σ away.
    case spike
    /// A ramp reaching 3.5-4.5 σ over 60-120 points, held 15 points, then back.
    case drift
    /// Noise variance ×3 for 60-120 points.
    case varianceChange
}

/// One labelled incident: points `start...end` (inclusive indices).
public struct LabelledIncident: Sendable, Equatable {
    public var kind: IncidentKind
    public var start: Int
    public var end: Int

    /// An incident of `kind` over `start...end`.
    public init(kind: IncidentKind, start: Int, end: Int) {
        self.kind = kind
        self.start = start
        self.end = end
    }
}

/// A generated series with its incidents.
public struct LabelledSeries: Sendable {
    public var name: String
    public var shape: SeriesShape
    public var timestamps: [Int64]
    public var values: [Double]
    public var incidents: [LabelledIncident]
}

/// Seeded, deterministic generator of realistic series with labelled incidents.
///
/// Incidents start after the first day (the in-memory seasonal baseline's learning day; a drift
/// during a daily cycle's first day is indistinguishable from the cycle itself) and are spread
/// over the rest, one per slot of ~600 points. Magnitudes are in units of the series' noise σ at
/// that time of day. Normal stretches keep all the noise: AR(1) correlation, day-to-day level
/// changes, log-normal skew and single outliers (latency), a counter reset (counters).
public struct LabelledSeriesGenerator: Sendable {
    public let interval: Int64
    public let points: Int
    /// First timestamp (a UTC midnight).
    public let start: Int64
    private var rng: DetectionRNG

    /// A generator of `points`-long series (default 3 days of 60 s points).
    public init(seed: UInt64, interval: Int64 = 60_000, points: Int = 4320, start: Int64 = 1_700_006_400_000) {
        self.interval = max(1, interval)
        self.points = max(10, points)
        self.start = start
        rng = DetectionRNG(seed: seed)
    }

    /// `count` series, cycling through the shapes.
    public mutating func dataset(count: Int) -> [LabelledSeries] {
        (0..<count).map { series(SeriesShape.allCases[$0 % SeriesShape.allCases.count], name: "s\($0)") }
    }

    /// One series of `shape`.
    public mutating func series(_ shape: SeriesShape, name: String) -> LabelledSeries {
        let n = shape == .counterRate ? points + 1 : points
        let ts = (0..<n).map { start &+ Int64($0) &* interval }
        let incidents = placeIncidents(count: points)
        let effect = incidentEffects(incidents, count: n, offset: shape == .counterRate ? 1 : 0)
        var values: [Double]
        switch shape {
        case .cpuGauge: values = cpu(ts, effect)
        case .latency: values = latency(ts, effect)
        case .counterRate:
            values = CounterRates.perSecond(timestamps: ts, cumulative: counter(ts, effect))
        }
        let times = shape == .counterRate ? Array(ts.dropFirst()) : ts
        values = Array(values.prefix(times.count))
        return LabelledSeries(name: name, shape: shape, timestamps: times, values: values, incidents: incidents)
    }

    /// Per point: additive shift in σ units and noise scale.
    private struct Effects {
        var shift: [Double]
        var scale: [Double]
    }

    private mutating func placeIncidents(count n: Int) -> [LabelledIncident] {
        let perDay = Int(86_400_000 / interval)
        let first = min(perDay, n / 3) + 60
        let last = n - 160
        guard last > first + 200 else { return [] }
        let slots = max(1, (last - first) / 600)
        let width = (last - first) / slots
        var kinds = IncidentKind.allCases.shuffled(using: &rng)
        var out: [LabelledIncident] = []
        for s in 0..<slots {
            if kinds.isEmpty { kinds = IncidentKind.allCases.shuffled(using: &rng) }
            let kind = kinds.removeLast()
            let begin = first + s * width + Int(rng.uniform(0, Double(max(1, width - 160))))
            let length: Int
            switch kind {
            case .levelShift: length = Int(rng.uniform(30, 91))
            case .spike: length = Int(rng.uniform(3, 6))
            case .drift: length = Int(rng.uniform(60, 121)) + 15
            case .varianceChange: length = Int(rng.uniform(60, 121))
            }
            out.append(LabelledIncident(kind: kind, start: begin, end: min(n - 1, begin + length - 1)))
        }
        return out
    }

    private mutating func incidentEffects(_ incidents: [LabelledIncident], count n: Int, offset: Int) -> Effects {
        var e = Effects(shift: [Double](repeating: 0, count: n), scale: [Double](repeating: 1, count: n))
        for inc in incidents {
            let sign: Double = rng.unit() < 0.5 ? -1 : 1
            let range = (inc.start + offset)...min(n - 1, inc.end + offset)
            switch inc.kind {
            case .levelShift:
                let m = sign * rng.uniform(3, 4)
                for i in range { e.shift[i] = m }
            case .spike:
                let m = sign * rng.uniform(5, 7)
                for i in range { e.shift[i] = m }
            case .drift:
                let m = sign * rng.uniform(3.5, 4.5)
                let ramp = max(1, range.count - 15)
                for (j, i) in range.enumerated() { e.shift[i] = m * min(1, Double(j + 1) / Double(ramp)) }
            case .varianceChange:
                for i in range { e.scale[i] = 3.0.squareRoot() }
            }
        }
        return e
    }

    /// Fraction of the day at `t` (UTC).
    private func dayFraction(_ t: Int64) -> Double {
        let d: Int64 = 86_400_000
        return Double(((t % d) + d) % d) / Double(d)
    }

    /// Day-to-day level changes: one normal draw per midnight, blended smoothly in between.
    private mutating func dayOffsets(_ ts: [Int64], sigma: Double) -> [Double] {
        let days = Int((ts.last ?? start) &- start) / 86_400_000 + 2
        let knots = (0..<days).map { _ in sigma * rng.normal() }
        return ts.map { t in
            let d = Int(t &- start) / 86_400_000
            let w = (1 - cos(Double.pi * dayFraction(t))) / 2
            return knots[d] + w * (knots[d + 1] - knots[d])
        }
    }

    private mutating func cpu(_ ts: [Int64], _ e: Effects) -> [Double] {
        let sigma = 3.0
        let phi = 0.3
        let offsets = dayOffsets(ts, sigma: 1)
        var ar = 0.0
        return ts.indices.map { i in
            let base = 45 + 18 * sin(2 * Double.pi * (dayFraction(ts[i]) - 0.35)) + offsets[i]
            ar = phi * ar + (1 - phi * phi).squareRoot() * rng.normal()
            return min(100, max(0, base + sigma * (ar * e.scale[i] + e.shift[i])))
        }
    }

    private mutating func latency(_ ts: [Int64], _ e: Effects) -> [Double] {
        let s = 0.15
        let offsets = dayOffsets(ts, sigma: 0.03)
        return ts.indices.map { i in
            let base = 120 * (1 + 0.35 * sin(2 * Double.pi * (dayFraction(ts[i]) - 0.4))) * exp(offsets[i])
            let k = s * e.scale[i]
            var v = base * exp(k * rng.normal() - 0.5 * k * k) + e.shift[i] * s * base
            if rng.unit() < 0.003 { v *= rng.uniform(2, 3) }  // a harmless single outlier
            return max(1, v)
        }
    }

    private mutating func counter(_ ts: [Int64], _ e: Effects) -> [Double] {
        let offsets = dayOffsets(ts, sigma: 0.03)
        let reset = ts.count / 5 + Int(rng.uniform(0, Double(max(1, ts.count / 10))))
        var total = 5_000_000.0
        return ts.indices.map { i in
            let dt = i > 0 ? Double(ts[i] &- ts[i - 1]) / 1000 : 0
            let rate = 200 * (1 + 0.5 * sin(2 * Double.pi * (dayFraction(ts[i]) - 0.3))) * exp(offsets[i])
            let mean = rate * dt
            let sd = (mean + (0.02 * mean) * (0.02 * mean)).squareRoot()
            let inc = max(0, (mean + sd * (rng.normal() * e.scale[i] + e.shift[i])).rounded())
            total = i == reset ? inc : total + inc
            return total
        }
    }
}
