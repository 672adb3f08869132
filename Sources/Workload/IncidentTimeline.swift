#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A time window `start ..< end` (ms) with a magnitude (latency multiplier, 5xx share...).
struct IncidentWindow: Sendable {
    var start: Int64
    var end: Int64
    var magnitude: Double
}

/// Walks a start-sorted list of windows forward in time, answering "which window is active now".
struct WindowCursor: Sendable {
    private var windows: [IncidentWindow]
    private var index = 0

    init(_ windows: [IncidentWindow]) { self.windows = windows.sorted { $0.start < $1.start } }

    /// The magnitude of the window covering `time`, or nil; `time` must not decrease between calls.
    mutating func active(at time: Int64) -> Double? {
        while index < windows.count && windows[index].end <= time { index += 1 }
        guard index < windows.count, windows[index].start <= time else { return nil }
        return windows[index].magnitude
    }
}

/// The rare events of one service's day, drawn up front (a handful per day, so memory stays
/// tiny): latency spikes, error bursts and process restarts.
struct IncidentTimeline: Sendable {
    /// Latency spikes: windows of 30 s to 5 min where latency is multiplied by 5 to 20.
    var spikes: [IncidentWindow] = []
    /// Error bursts: windows of 1 to 10 min where 10-30 % of requests fail with 5xx.
    var errorBursts: [IncidentWindow] = []
    /// Restarts: counters reset at `start`; the gauges are missing until `end` (process down).
    var restarts: [IncidentWindow] = []

    static let spikesPerDay = 3.0
    static let errorBurstsPerDay = 4.0
    static let dayMs = 86_400_000.0

    init(spec: WorkloadSpec, rng: inout WorkloadRNG) {
        let days = Double(spec.durationMs) / Self.dayMs
        spikes = Self.windows(
            count: rng.poisson(Self.spikesPerDay * days), spec: spec, rng: &rng,
            durationMs: (30_000, 300_000), magnitude: (5, 20))
        errorBursts = Self.windows(
            count: rng.poisson(Self.errorBurstsPerDay * days), spec: spec, rng: &rng,
            durationMs: (60_000, 600_000), magnitude: (0.1, 0.3))
        // floor(expected + u): a 1.5/day rate gives exactly 1 or 2 restarts in a day.
        let restartCount = Int((spec.restartsPerDay * days + rng.uniform()).rounded(.down))
        restarts = Self.windows(
            count: restartCount, spec: spec, rng: &rng, durationMs: (15_000, 45_000), magnitude: (0, 0))
    }

    /// `count` windows with uniform start, log-uniform length and uniform magnitude.
    private static func windows(
        count: Int, spec: WorkloadSpec, rng: inout WorkloadRNG,
        durationMs: (Double, Double), magnitude: (Double, Double)
    ) -> [IncidentWindow] {
        (0..<count).map { _ in
            let start = spec.start + Int64(rng.below(UInt64(spec.durationMs)))
            let length = Int64(durationMs.0 * exp(rng.uniform() * log(durationMs.1 / durationMs.0)))
            return IncidentWindow(start: start, end: start + length, magnitude: rng.uniform(magnitude.0, magnitude.1))
        }.sorted { $0.start < $1.start }
    }
}
