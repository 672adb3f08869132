import TSDB

/// Label equality conditions (`{service: test}`): an event matches when it carries every pair.
/// An empty match matches every event.
struct LabelMatch: Sendable, Equatable {
    /// Conditions sorted by name, so matching is one merge walk over the (sorted) labels.
    let pairs: [Label]

    init(_ match: [String: String]) {
        pairs = match.map { Label($0.key, $0.value) }.sorted()
    }

    /// Whether `labels` hold every condition (no allocation).
    func matches(_ labels: Labels) -> Bool {
        if pairs.isEmpty { return true }
        let have = labels.pairs
        var i = 0
        for want in pairs {
            while i < have.count, have[i].name < want.name { i += 1 }
            guard i < have.count, have[i].name == want.name, have[i].value == want.value else { return false }
        }
        return true
    }
}

extension Labels {
    /// The same labels with `__name__` set to `name`.
    func withMetricName(_ name: String) -> Labels {
        var p = pairs
        if let i = p.firstIndex(where: { $0.name == Labels.metricName }) {
            p[i].value = name
        } else {
            p.append(Label(Labels.metricName, name))
        }
        return Labels(p)
    }
}
