import TSDB

/// Aggregation operators over label groups, step by step.
extension Evaluator {
    mutating func aggregate(_ op: String, param: Expr?, _ expr: Expr, grouping: [String], without: Bool) throws(PromQLError) -> StepValue {
        let params = try param.map { e throws(PromQLError) in try scalarArg(e) } ?? []
        let series = try vectorArg(expr)
        let names = Set(grouping)
        var groupIndex: [Labels: Int] = [:]
        var groups: [(labels: Labels, members: [Int])] = []
        for (j, s) in series.enumerated() {
            let key = Labels(
                s.labels.pairs.filter { without ? !names.contains($0.name) && $0.name != Labels.metricName : names.contains($0.name) })
            if let g = groupIndex[key] {
                groups[g].members.append(j)
            } else {
                groupIndex[key] = groups.count
                groups.append((key, [j]))
            }
        }
        var builder = VectorBuilder(steps: steps)
        var present: [(v: Double, series: Int)] = []
        for group in groups {
            for i in 0..<steps {
                present.removeAll(keepingCapacity: true)
                for m in group.members { if let v = series[m].values[i] { present.append((v, m)) } }
                if present.isEmpty { continue }
                switch op {
                case "topk", "bottomk":
                    for (v, m) in Self.select(present, k: params[i], top: op == "topk", series: series) {
                        try builder.add(series[m].labels, step: i, value: v)
                    }
                default:
                    try builder.add(group.labels, step: i, value: Self.fold(op, present.map(\.v), param: params.isEmpty ? 0 : params[i]))
                }
            }
        }
        return .vector(builder.series)
    }

    /// The k largest (or smallest) samples; NaN ranks last either way, ties by labels.
    private static func select(_ present: [(v: Double, series: Int)], k: Double, top: Bool, series: [StepSeries]) -> [(
        v: Double, series: Int
    )] {
        guard k >= 1 else { return [] }
        let n = k >= Double(present.count) ? present.count : Int(k)
        let sorted = present.sorted { a, b in
            if a.v.isNaN != b.v.isNaN { return b.v.isNaN }
            if a.v != b.v && !a.v.isNaN { return top ? a.v > b.v : a.v < b.v }
            return series[a.series].labels < series[b.series].labels
        }
        return Array(sorted.prefix(n))
    }

    /// sum, avg, min, max, count, group, stddev, stdvar, quantile of one group at one step.
    private static func fold(_ op: String, _ values: [Double], param: Double) -> Double {
        switch op {
        case "sum": return values.reduce(0, +)
        case "avg": return values.reduce(0, +) / Double(values.count)
        case "count": return Double(values.count)
        case "group": return 1
        case "min": return values.dropFirst().reduce(values[0]) { m, v in m > v || m.isNaN ? v : m }
        case "max": return values.dropFirst().reduce(values[0]) { m, v in m < v || m.isNaN ? v : m }
        case "stddev", "stdvar":
            // Welford's running variance, as Prometheus computes it.
            var mean = 0.0
            var m2 = 0.0
            var n = 0.0
            for v in values {
                n += 1
                let delta = v - mean
                mean += delta / n
                m2 += delta * (v - mean)
            }
            return op == "stdvar" ? m2 / n : (m2 / n).squareRoot()
        case "quantile": return quantile(param, values)
        default: return .nan
        }
    }

    /// Prometheus' quantile: linear interpolation at rank q * (n - 1).
    static func quantile(_ q: Double, _ values: [Double]) -> Double {
        if values.isEmpty || q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        let sorted = values.sorted()
        let rank = q * Double(sorted.count - 1)
        let lower = max(0, Int(rank.rounded(.down)))
        let upper = min(sorted.count - 1, lower + 1)
        let weight = rank - rank.rounded(.down)
        return sorted[lower] * (1 - weight) + sorted[upper] * weight
    }
}
