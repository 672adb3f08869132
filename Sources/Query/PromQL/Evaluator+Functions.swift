import TSDB

/// Function calls: range functions over selectors, element-wise maths, time/vector/scalar.
extension Evaluator {
    mutating func call(_ name: String, _ args: [Expr]) throws(PromQLError) -> StepValue {
        if Functions.overTime.contains(name) || name == "rate" || name == "increase" || name == "irate" {
            guard case .selector(let sel)? = args.last, let range = sel.range else {
                throw .execution("\(name) needs a range vector selector")
            }
            let q = name == "quantile_over_time" ? try scalarArg(args[0]) : []
            return .vector(try rangeFunction(name, sel, range: range, q: q))
        }
        switch name {
        case "time": return .scalar((0..<steps).map { Double(time($0)) / 1000 })
        case "vector":
            let v = try scalarArg(args[0])
            return .vector([StepSeries(labels: Labels([Label]()), values: v.map { $0 })])
        case "scalar":
            let series = try vectorArg(args[0])
            return .scalar(
                (0..<steps).map { i in
                    var found: Double?
                    var n = 0
                    for s in series {
                        if let v = s.values[i] {
                            found = v
                            n += 1
                        }
                    }
                    return n == 1 ? found ?? .nan : .nan
                })
        default: break
        }
        let series = try vectorArg(args[0])
        if let f = Functions.math[name] { return .vector(mapValues(series) { v, _ in f(v) }) }
        switch name {
        case "round":
            let nearest = args.count > 1 ? try scalarArg(args[1]) : Array(repeating: 1, count: steps)
            return .vector(
                mapValues(series) { v, i in
                    let inverse = 1 / nearest[i]
                    return (v * inverse + 0.5).rounded(.down) / inverse
                })
        case "clamp_min":
            let lo = try scalarArg(args[1])
            return .vector(mapValues(series) { v, i in v.isNaN || lo[i].isNaN ? .nan : Swift.max(v, lo[i]) })
        case "clamp_max":
            let hi = try scalarArg(args[1])
            return .vector(mapValues(series) { v, i in v.isNaN || hi[i].isNaN ? .nan : Swift.min(v, hi[i]) })
        case "clamp":
            let lo = try scalarArg(args[1])
            let hi = try scalarArg(args[2])
            return .vector(
                mapValues(series) { v, i in
                    if hi[i] < lo[i] { return nil }
                    return v.isNaN || lo[i].isNaN || hi[i].isNaN ? .nan : Swift.max(lo[i], Swift.min(hi[i], v))
                })
        default:
            throw .execution("function \(quote(name)) is not implemented")
        }
    }

    mutating func scalarArg(_ e: Expr) throws(PromQLError) -> [Double] {
        guard case .scalar(let v) = try eval(e) else { throw .execution("expected a scalar argument") }
        return v
    }

    mutating func vectorArg(_ e: Expr) throws(PromQLError) -> [StepSeries] {
        guard case .vector(let v) = try eval(e) else { throw .execution("expected an instant vector argument") }
        return v
    }

    /// Applies `f(value, step)` to every sample (nil drops it) and drops `__name__`.
    func mapValues(_ series: [StepSeries], _ f: (Double, Int) -> Double?) -> [StepSeries] {
        series.map { s in
            var values = s.values
            for i in values.indices { if let v = values[i] { values[i] = f(v, i) } }
            return StepSeries(labels: s.labels.droppingName, values: values)
        }
    }

    /// rate, increase, irate and the `*_over_time` family over the window ending at t (see `windowShift`).
    mutating func rangeFunction(_ name: String, _ sel: VectorSelector, range: Int64, q: [Double]) throws(PromQLError) -> [StepSeries] {
        let keepName = name == "last_over_time" || name == "first_over_time"
        var out: [StepSeries] = []
        for info in store.select(sel.matchers) {
            var values = [Double?](repeating: nil, count: steps)
            if name == "irate" {
                for i in 0..<steps {
                    let t = time(i) - sel.offset
                    values[i] = try read { try window.irate(info.ref, from: t - range + windowShift, to: t + windowShift) }
                }
                try noteRead(info.ref, [.raw])
            } else {
                let aggs = try stepped(info.ref, offset: sel.offset, range: range, needsQuantile: name == "quantile_over_time")
                for (i, a) in aggs.enumerated() where a.count > 0 {
                    values[i] = value(name, a, range: range, q: q.isEmpty ? 0 : q[i])
                }
            }
            if values.contains(where: { $0 != nil }) {
                out.append(StepSeries(labels: keepName ? info.labels : info.labels.droppingName, values: values))
            }
        }
        return out
    }

    /// The value of a range function for one non-empty window.
    private mutating func value(_ name: String, _ a: WindowAggregate, range: Int64, q: Double) -> Double? {
        switch name {
        case "rate": return a.count < 2 ? nil : a.counterIncrease / (Double(range) / 1000)
        case "increase": return a.count < 2 ? nil : a.counterIncrease
        case "avg_over_time": return a.avg
        case "sum_over_time": return a.sum
        case "min_over_time": return a.min
        case "max_over_time": return a.max
        case "count_over_time": return Double(a.count)
        case "stddev_over_time": return a.stddev
        case "stdvar_over_time": return a.stddev.map { $0 * $0 }
        case "last_over_time": return a.last
        case "first_over_time": return a.first
        case "present_over_time": return 1
        case "quantile_over_time":
            if q.isNaN { return .nan }
            if q < 0 { return -.infinity }
            if q > 1 { return .infinity }
            noteQuantileError(a.quantileErrorBound)
            return a.quantile(q)
        default: return nil
        }
    }
}
