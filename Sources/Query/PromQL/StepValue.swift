import TSDB

/// One series evaluated at every step of a query; nil where it has no sample.
struct StepSeries: Sendable {
    var labels: Labels
    var values: [Double?]
}

/// An expression's value at every step of a query (an instant query has one step).
enum StepValue: Sendable {
    case scalar([Double])
    case vector([StepSeries])
    /// Raw samples of a range selector; only at the top of an instant query.
    case matrix([RangeSeries])
    case string(String)
}

/// Collects result series by label set and refuses two samples of one label set at one step,
/// as Prometheus does ("vector cannot contain metrics with the same labelset").
struct VectorBuilder {
    let steps: Int
    private var index: [Labels: Int] = [:]
    private(set) var series: [StepSeries] = []

    init(steps: Int) { self.steps = steps }

    mutating func add(_ labels: Labels, step: Int, value: Double) throws(PromQLError) {
        let i: Int
        if let found = index[labels] {
            i = found
        } else {
            i = series.count
            index[labels] = i
            series.append(StepSeries(labels: labels, values: Array(repeating: nil, count: steps)))
        }
        if series[i].values[step] != nil {
            throw .execution("vector cannot contain metrics with the same labelset: \(labels)")
        }
        series[i].values[step] = value
    }
}

extension Labels {
    /// The labels without `__name__`, as functions and arithmetic return them.
    var droppingName: Labels {
        guard self[Labels.metricName] != nil else { return self }
        return Labels(pairs.filter { $0.name != Labels.metricName })
    }
}
