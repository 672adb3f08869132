import Foundation

/// The PromQL functions this engine evaluates, with their argument types, and the Prometheus
/// functions it knows of but does not implement (reported as unsupported, not unknown).
enum Functions {
    struct Signature: Sendable {
        var args: [ValueType]
        /// Trailing arguments that may be left out.
        var optional = 0
        var returns: ValueType = .vector
    }

    /// Range functions answered from a `WindowAggregate`.
    static let overTime: Set<String> = [
        "avg_over_time", "sum_over_time", "min_over_time", "max_over_time", "count_over_time",
        "stddev_over_time", "stdvar_over_time", "quantile_over_time", "last_over_time",
        "first_over_time", "present_over_time",
    ]

    /// Element-wise maths on an instant vector.
    static let math: [String: @Sendable (Double) -> Double] = [
        "abs": { Swift.abs($0) }, "ceil": { $0.rounded(.up) }, "floor": { $0.rounded(.down) },
        "sqrt": { $0.squareRoot() }, "exp": { exp($0) }, "ln": { log($0) },
        "log2": { log($0) / log(2) }, "log10": { log($0) / log(10) },
        "sgn": { $0 > 0 ? 1 : $0 < 0 ? -1 : $0 },
    ]

    static func signature(_ name: String) -> Signature? {
        if overTime.contains(name) {
            return Signature(args: name == "quantile_over_time" ? [.scalar, .matrix] : [.matrix])
        }
        if math[name] != nil { return Signature(args: [.vector]) }
        switch name {
        case "rate", "irate", "increase": return Signature(args: [.matrix])
        case "round": return Signature(args: [.vector, .scalar], optional: 1)
        case "clamp_min", "clamp_max": return Signature(args: [.vector, .scalar])
        case "clamp": return Signature(args: [.vector, .scalar, .scalar])
        case "time": return Signature(args: [], returns: .scalar)
        case "vector": return Signature(args: [.scalar])
        case "scalar": return Signature(args: [.vector], returns: .scalar)
        default: return nil
        }
    }

    /// Prometheus functions not implemented here.
    static let unsupported: Set<String> = [
        "absent", "absent_over_time", "acos", "acosh", "asin", "asinh", "atan", "atanh", "changes",
        "cos", "cosh", "count_values", "day_of_month", "day_of_week", "day_of_year", "days_in_month",
        "deg", "delta", "deriv", "double_exponential_smoothing", "histogram_avg", "histogram_count",
        "histogram_fraction", "histogram_quantile", "histogram_stddev", "histogram_stdvar",
        "histogram_sum", "holt_winters", "hour", "idelta", "info", "label_join", "label_replace",
        "mad_over_time", "minute", "month", "pi", "predict_linear", "rad", "resets", "sin", "sinh",
        "sort", "sort_by_label", "sort_by_label_desc", "sort_desc", "tan", "tanh", "timestamp", "year",
    ]
}
