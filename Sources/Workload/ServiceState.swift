#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One service while the workload runs: its fixed parameters, incident cursors and the evolving
/// state of its gauges and counters.
struct ServiceState {
    let eventBase: Int32
    let gaugeBase: Int32
    /// Endpoint medians in ms and cumulative traffic shares (the last one is 1).
    let medians: [Double]
    let cumulativeShares: [Double]
    let sigma: Double
    let base5xx: Double
    let trafficWeight: Double
    let cpuBase: Double
    let memoryBase: Double
    let gcMedianMs: Double
    /// Gauge jitter in ms (0: exactly on the grid), and the service's offset on the grid.
    let jitterMs: Int64
    let gaugePhase: Int64

    var spikes: WindowCursor
    var errorBursts: WindowCursor
    let restarts: [IncidentWindow]
    var nextRestart = 0
    var restartedAt: Int64?
    /// Gauges are not reported before this time (process down after a restart).
    var downUntil: Int64 = .min

    /// Requests and 5xx responses since the (simulated) process start.
    var requests: Int64
    var errors: Int64
    var cpu: Double
    var memory: Double
    /// Nominal grid index and actual (jittered) timestamp of the next gauge report.
    var gaugeIndex: Int64 = 0
    var nextGaugeTime: Int64 = 0

    init(profile: ServiceProfile, index: Int, series: SeriesTable, spec: WorkloadSpec, rng: inout WorkloadRNG) {
        eventBase = series.eventBase[index]
        gaugeBase = series.gaugeBase[index]
        medians = profile.endpoints.map(\.medianMs)
        var running = 0.0
        cumulativeShares = profile.endpoints.map {
            running += $0.share
            return running
        }
        sigma = profile.sigma
        base5xx = profile.base5xx
        trafficWeight = profile.trafficWeight
        cpuBase = profile.cpuBasePercent
        memoryBase = profile.memoryBaseBytes
        gcMedianMs = profile.gcMedianMs
        // Jitter only where it cannot reorder a service's own reports.
        jitterMs = profile.jittered && spec.gaugeIntervalMs >= 100 ? 5 : 0
        gaugePhase = Int64(rng.below(UInt64(spec.gaugeIntervalMs)))

        let timeline = IncidentTimeline(spec: spec, rng: &rng)
        spikes = WindowCursor(timeline.spikes)
        errorBursts = WindowCursor(timeline.errorBursts)
        restarts = timeline.restarts

        // The processes have been up for 1-30 hours when the workload starts.
        let uptimeSeconds = rng.uniform(3_600, 108_000)
        requests = Int64(uptimeSeconds * spec.requestsPerSecond * trafficWeight)
        errors = Int64(Double(requests) * base5xx)
        cpu = cpuBase
        memory = (memoryBase * rng.uniform(1.0, 1.1) / 4096).rounded() * 4096
        nextGaugeTime = spec.start
        scheduleNextGauge(spec: spec, rng: &rng)
    }

    /// Sets `nextGaugeTime` to grid point `gaugeIndex` plus jitter, then advances the index.
    mutating func scheduleNextGauge(spec: WorkloadSpec, rng: inout WorkloadRNG) {
        let jitter = jitterMs == 0 ? 0 : Int64(rng.below(UInt64(2 * jitterMs + 1))) - jitterMs
        nextGaugeTime = spec.start + gaugePhase + gaugeIndex * spec.gaugeIntervalMs + jitter
        gaugeIndex += 1
    }

    /// Applies a restart due at or before `time`: counters restart from zero, memory from its base.
    mutating func applyRestart(at time: Int64) {
        guard nextRestart < restarts.count, restarts[nextRestart].start <= time else { return }
        let restart = restarts[nextRestart]
        nextRestart += 1
        requests = 0
        errors = 0
        memory = (memoryBase * 0.7 / 4096).rounded() * 4096
        restartedAt = time
        downUntil = time + (restart.end - restart.start)
    }

    /// Advances the gauge models by one report at `time` and passes each metric's value to `emit`.
    /// `load` is the diurnal traffic factor, `spike` the active latency multiplier (1 if none),
    /// the counters are the exact request and 5xx counts up to `time`.
    mutating func reportGauges(
        at time: Int64, load: Double, spike: Double, spec: WorkloadSpec, rng: inout WorkloadRNG,
        requestsNow: Int64, errorsNow: Int64, emit: (GaugeMetric, Double) -> Void
    ) {
        // CPU: mean-reverting walk toward a load-driven target, hotter in spikes and warm-up.
        let warmingUp = restartedAt.map { time - $0 < 120_000 } ?? false
        let target = min(95, cpuBase * load * (spike > 1 ? 1.5 : 1) + (warmingUp ? 25 : 0))
        cpu = min(100, max(0, cpu + 0.3 * (target - cpu) + 2 * rng.normal()))
        // Memory: whole pages, a slow leak of ~15 % a day plus noise.
        let steps = 86_400_000 / Double(spec.gaugeIntervalMs)
        let leakPages = memoryBase * 0.15 / steps / 4096
        memory = max(memoryBase * 0.5, memory + 4096 * (leakPages + 64 * rng.normal()).rounded())
        let queue = rng.geometric(mean: 1.5 * load * load * (spike > 1 ? 12 : 1))
        let gc = rng.uniform() < 0.3 ? 0 : gcMedianMs * exp(0.6 * rng.normal()) * memory / memoryBase
        emit(.cpuUsagePercent, (cpu * 10).rounded() / 10)
        emit(.memoryUsageBytes, memory)
        emit(.queueDepth, Double(queue))
        emit(.requestsTotal, Double(requestsNow))
        emit(.errorsTotal, Double(errorsNow))
        emit(.gcPauseMs, (gc * 100).rounded() / 100)
    }
}
