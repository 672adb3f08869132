import TSDB
import Testing

@testable import Workload

@Suite struct WorkloadCounterTests {
    /// Between two reports without a restart (a restart shows as a gap of 20 s or more in the
    /// reports), a counter grows by exactly the number of the service's latency events (all, or
    /// the 5xx ones) in between; across a restart it holds at most those events.
    @Test(arguments: [("requests_total", false), ("errors_total", true)])
    func countersCountTheEventsAndResetOnRestart(metric: String, onlyErrors: Bool) {
        let w = WorkloadFixtures.restarting
        let rows = w.rowsBySeries()
        var resets = 0
        var checkedIntervals = 0
        var decreases = 0
        for counter in w.seriesIndices(metric: metric) {
            let service = w.labels[counter].serviceName
            // Timestamps of the service's counted events, in order.
            var eventTimes: [Int64] = []
            for s in w.seriesIndices(metric: "api_latency_ms", service: service) {
                let status = w.labels[s]["status"] ?? ""
                if !onlyErrors || status.hasPrefix("5") { eventTimes += rows[s].map { w.timestamps[$0] } }
            }
            eventTimes.sort()
            func countUpTo(_ t: Int64) -> Int {
                var (lo, hi) = (0, eventTimes.count)
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if eventTimes[mid] <= t { lo = mid + 1 } else { hi = mid }
                }
                return lo
            }

            let samples = rows[counter]
            for (a, b) in zip(samples, samples.dropFirst()) {
                let (t0, t1) = (w.timestamps[a], w.timestamps[b])
                let (v0, v1) = (w.values[a], w.values[b])
                let between = Double(countUpTo(t1) - countUpTo(t0))
                if t1 - t0 > 15_000 {
                    resets += 1
                    #expect(v1 <= between, "after a restart the counter holds only events since the restart")
                    if v1 < v0 { decreases += 1 }
                } else {
                    #expect(v1 - v0 == between, "\(w.labels[counter]) from \(t0) to \(t1)")
                    checkedIntervals += 1
                }
            }
        }
        #expect(checkedIntervals > 100)
        if !onlyErrors { #expect(decreases > 0, "restarts reset the (large) request counters") }
        // 6 services x 300 restarts/day x 10 min: ~12 restarts.
        #expect(resets >= 4 && resets <= 30)
    }

    @Test func aDefaultDayHasOneOrTwoRestartsPerService() {
        var rng = WorkloadRNG(seed: 42)
        for _ in 0..<20 {
            let timeline = IncidentTimeline(spec: .defaultDay, rng: &rng)
            #expect(timeline.restarts.count == 1 || timeline.restarts.count == 2)
            #expect(timeline.spikes.allSatisfy { $0.magnitude >= 5 && $0.magnitude <= 20 })
        }
    }
}
