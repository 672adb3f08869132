import TSDB

extension WindowQuery {
    /// One aggregate per step: windows [t - range, t) for t = start, start+step, ... <= end.
    /// Reads storage once for the whole span and slides (fast: 288 steps must cost ~ one read).
    public func stepped(_ ref: SeriesRef, start: Int64, end: Int64, step: Int64, range: Int64) throws -> [WindowAggregate] {
        try stepped(ref, start: start, end: end, step: step, range: range, needsQuantile: false)
    }

    /// As `stepped(_:start:end:step:range:)`; `needsQuantile` as in `aggregate(_:from:to:needsQuantile:)`.
    /// Each step equals `aggregate` of its window (same plan, same summation order).
    public func stepped(
        _ ref: SeriesRef, start: Int64, end: Int64, step: Int64, range: Int64, needsQuantile: Bool
    ) throws -> [WindowAggregate] {
        guard step > 0, range >= 0, start <= end else { return [] }
        var levels = WindowPlan.Levels(store: store, options: options)
        let result = try steppedOnce(ref, start: start, end: end, step: step, range: range, levels: levels)
        if needsQuantile, result.contains(where: \.lacksSketches), start &- range >= levels.availableFrom[0] {
            levels.rawOnly = true
            return try steppedOnce(ref, start: start, end: end, step: step, range: range, levels: levels)
        }
        return result
    }

    private func steppedOnce(
        _ ref: SeriesRef, start: Int64, end: Int64, step: Int64, range: Int64, levels: WindowPlan.Levels
    ) throws -> [WindowAggregate] {
        var plans: [(Int64, WindowPlan)] = []
        var t = start
        while t <= end {
            plans.append((t, WindowPlan.make(from: t &- range, to: t, levels: levels)))
            let (next, overflow) = t.addingReportingOverflow(step)
            if overflow { break }
            t = next
        }
        // Stretches under an hour apart are read together: one read per level in practice.
        let data = try WindowData.read(store, ref, pieces: plans.flatMap(\.1.pieces), mergeGap: Rollups.hour)
        return plans.map { data.aggregate($0.1, from: $0.0 &- range, to: $0.0) }
    }
}
