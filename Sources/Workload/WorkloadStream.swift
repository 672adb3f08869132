#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Produces the workload one time slice (1 s, or the gauge interval if shorter) at a time: every
/// service's Poisson requests of the slice get uniform ms offsets (a Poisson process conditioned
/// on its count), gauges due in the slice are added, and a counting sort by offset merges them.
/// Memory is bounded by one slice.
struct WorkloadStream {
    let spec: WorkloadSpec
    private let end: Int64
    private let sliceMs: Int64
    private var services: [ServiceState]
    private var eventRNG: WorkloadRNG
    private var gaugeRNG: WorkloadRNG
    private var sliceStart: Int64
    private let unsorted: SliceColumns
    /// The last slice, sorted by time, with absolute timestamps.
    let sorted: SliceColumns
    private var buckets: [Int32]

    init(spec: WorkloadSpec, profiles: [ServiceProfile], table: SeriesTable) {
        self.spec = spec
        end = spec.start + spec.durationMs
        sliceMs = min(1000, spec.gaugeIntervalMs)
        var setupRNG = WorkloadRNG(seed: spec.seed, stream: 1)
        services = profiles.indices.map {
            ServiceState(profile: profiles[$0], index: $0, series: table, spec: spec, rng: &setupRNG)
        }
        eventRNG = WorkloadRNG(seed: spec.seed, stream: 2)
        gaugeRNG = WorkloadRNG(seed: spec.seed, stream: 3)
        sliceStart = spec.start
        let expected = Int(Double(profiles.count) * spec.requestsPerSecond * Double(sliceMs) / 1000 * 2) + 256
        unsorted = SliceColumns(capacity: expected)
        sorted = SliceColumns(capacity: expected)
        buckets = Array(repeating: 0, count: Int(sliceMs) + 1)
    }

    /// Traffic factor of the time of day: 1 on average, +-30 % with the peak at 15:00 UTC.
    static func diurnalLoad(at time: Int64) -> Double {
        let dayMs: Int64 = 86_400_000
        let dayFraction = Double(((time % dayMs) + dayMs) % dayMs) / Double(dayMs)
        return 1 + 0.3 * sin(2 * Double.pi * (dayFraction - 9.0 / 24))
    }

    /// Generates the next slice into `sorted`; false once the workload is exhausted.
    mutating func nextSlice() -> Bool {
        guard sliceStart < end else { return false }
        let length = min(sliceMs, end - sliceStart)
        let load = Self.diurnalLoad(at: sliceStart + length / 2)
        unsorted.count = 0
        for s in services.indices {
            services[s].applyRestart(at: sliceStart)
            let spike = services[s].spikes.active(at: sliceStart) ?? 1
            let burst = services[s].errorBursts.active(at: sliceStart) ?? 0
            let lambda = spec.requestsPerSecond * services[s].trafficWeight * load * Double(length) / 1000
            let first = unsorted.count
            let requests = eventRNG.poisson(lambda)
            let errors = emitEvents(service: s, count: requests, length: length, spike: spike, burst: burst)
            emitGauges(service: s, firstEvent: first, sliceEnd: sliceStart + length, load: load, spike: spike)
            services[s].requests += Int64(requests)
            services[s].errors += Int64(errors)
        }
        sortSlice()
        sliceStart += length
        return true
    }

    /// Appends `count` latency events of service `s`; returns how many are 5xx.
    private mutating func emitEvents(service s: Int, count: Int, length: Int64, spike: Double, burst: Double) -> Int {
        let medians = services[s].medians
        let shares = services[s].cumulativeShares
        let sigma = services[s].sigma
        let base = services[s].eventBase
        // Status thresholds on one uniform: 400 0.4 %, 404 0.6 %, then 500 and 503. Spikes
        // triple the baseline 5xx share (timeouts); bursts add mostly 503s.
        let base5xx = services[s].base5xx * (spike > 1 ? 3 : 1)
        let p400 = 0.004
        let p404 = 0.01
        let p500 = p404 + 0.5 * base5xx + 0.2 * burst
        let pAny = p404 + base5xx + burst
        let factors = ServiceCatalog.statusLatencyFactor
        let statusCount = Int32(ServiceCatalog.statuses.count)
        let lastEndpoint = shares.count - 1

        unsorted.reserve(extra: count)
        let times = unsorted.times
        let series = unsorted.series
        let values = unsorted.values
        var row = unsorted.count
        var rng = eventRNG
        var errors = 0
        for _ in 0..<count {
            let offset = Int64(rng.below(UInt64(length)))
            let bits = rng.next()
            let uEndpoint = Double(bits >> 32) * 0x1p-32
            let uStatus = Double(bits & 0xFFFF_FFFF) * 0x1p-32
            var endpoint = 0
            while endpoint < lastEndpoint && uEndpoint >= shares[endpoint] { endpoint += 1 }
            var status = 0
            if uStatus < pAny {
                status = uStatus < p400 ? 1 : uStatus < p404 ? 2 : uStatus < p500 ? 3 : 4
                if status >= 3 { errors += 1 }
            }
            let latency = medians[endpoint] * factors[status] * spike * exp(sigma * rng.normal())
            times[row] = offset
            series[row] = base + Int32(endpoint) * statusCount + Int32(status)
            values[row] = (latency * 100).rounded() / 100
            row += 1
        }
        unsorted.count = row
        eventRNG = rng
        return errors
    }

    /// Appends the gauge reports of service `s` due before `sliceEnd`; the counters include the
    /// slice's events (rows from `firstEvent`) up to and including the report's millisecond.
    private mutating func emitGauges(service s: Int, firstEvent: Int, sliceEnd: Int64, load: Double, spike: Double) {
        let lastEvent = unsorted.count
        while services[s].nextGaugeTime < sliceEnd {
            let time = services[s].nextGaugeTime
            services[s].scheduleNextGauge(spec: spec, rng: &gaugeRNG)
            guard time >= spec.start, time >= services[s].downUntil else { continue }
            let offset = time - sliceStart
            var requests = services[s].requests
            var errors = services[s].errors
            let statusCount = Int32(ServiceCatalog.statuses.count)
            for row in firstEvent..<lastEvent where unsorted.times[row] <= offset {
                requests += 1
                if (unsorted.series[row] - services[s].eventBase) % statusCount >= 3 { errors += 1 }
            }
            let columns = unsorted
            let gaugeBase = services[s].gaugeBase
            services[s].reportGauges(
                at: time, load: load, spike: spike, spec: spec, rng: &gaugeRNG,
                requestsNow: requests, errorsNow: errors
            ) { metric, value in
                columns.append(time: offset, series: gaugeBase + Int32(metric.rawValue), value: value)
            }
        }
    }

    /// Stable counting sort of the slice by ms offset into `sorted`, with absolute timestamps.
    private mutating func sortSlice() {
        let n = unsorted.count
        sorted.count = 0
        sorted.reserve(extra: n)
        let start = sliceStart
        buckets.withUnsafeMutableBufferPointer { b in
            b.update(repeating: 0)
            for i in 0..<n { b[Int(unsorted.times[i]) + 1] += 1 }
            for i in 1..<b.count { b[i] += b[i - 1] }
            for i in 0..<n {
                let offset = Int(unsorted.times[i])
                let to = Int(b[offset])
                b[offset] += 1
                sorted.times[to] = start + Int64(offset)
                sorted.series[to] = unsorted.series[i]
                sorted.values[to] = unsorted.values[i]
            }
        }
        sorted.count = n
    }
}
