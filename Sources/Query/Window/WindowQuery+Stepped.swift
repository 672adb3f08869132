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
        let levels = WindowPlan.Levels(store: store, options: options)
        var ends: [Int64] = []
        var t = start
        while t <= end {
            ends.append(t)
            let (next, overflow) = t.addingReportingOverflow(step)
            if overflow { break }
            t = next
        }
        var result = try aggregates(ref, ends: ends, range: range, levels: levels)
        guard needsQuantile else { return result }
        // Steps without sketches whose window raw still covers: one more read, from raw only.
        let redo = result.indices.filter { result[$0].lacksSketches && ends[$0] &- range >= levels.availableFrom[0] }
        guard !redo.isEmpty else { return result }
        var rawLevels = levels
        rawLevels.rawOnly = true
        let exact = try aggregates(ref, ends: redo.map { ends[$0] }, range: range, levels: rawLevels)
        for (i, agg) in zip(redo, exact) { result[i] = agg }
        return result
    }

    /// Aggregates of [t - range, t) for each t in `ends`, from one read per level.
    private func aggregates(_ ref: SeriesRef, ends: [Int64], range: Int64, levels: WindowPlan.Levels) throws -> [WindowAggregate] {
        let plans = ends.map { WindowPlan.make(from: $0 &- range, to: $0, levels: levels) }
        // Stretches under an hour apart are read together: one read per level in practice.
        let data = try WindowData.read(store, ref, pieces: plans.flatMap(\.pieces), mergeGap: Rollups.hour)
        return zip(ends, plans).map { data.aggregate($0.1, from: $0.0 &- range, to: $0.0) }
    }
}
