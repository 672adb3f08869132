import TSDB

/// Adds static tags (team, region...) to the events whose labels match.
///
/// A tag the event already carries keeps the event's value: the producer knows better than a
/// blanket rule, and a rule must never move an event to another series it did not name.
public final class EnrichTransformer: MetricTransformer {
    private let match: LabelMatch
    /// Tags added, sorted by name.
    private let tags: [Label]
    public var name: String {
        "enrich(\(Labels(match.pairs).description) += \(tags.map { "\($0.name)=\($0.value)" }.joined(separator: ",")))"
    }

    /// Adds `tags` to events carrying every pair of `match` (every event when empty).
    public init(match: [String: String], tags: [String: String]) {
        self.match = LabelMatch(match)
        self.tags = tags.filter { !$0.value.isEmpty }.map { Label($0.key, $0.value) }.sorted()
    }

    public func apply(_ events: inout [MetricEvent]) {
        guard !tags.isEmpty else { return }
        for i in events.indices where match.matches(events[i].labels) {
            let have = events[i].labels
            let missing = tags.filter { have[$0.name] == nil }
            if !missing.isEmpty { events[i].labels = Labels(have.pairs + missing) }
        }
    }
}
