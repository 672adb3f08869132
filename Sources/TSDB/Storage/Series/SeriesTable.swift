/// Where a series' WAL definition stands: a record that uses a series must define it unless an
/// earlier record (durable, or pending before it) already did.
enum SeriesDefinitionState {
    case unlogged
    case pending(seq: UInt64)
    case logged
}

struct SeriesEntry {
    let labels: Labels
    let kind: MetricKind
    /// Newest durable timestamp (head or blocks), for the out-of-order window.
    var maxT: Int64 = .min
    /// Newest timestamp including batches written to the WAL but not yet durable.
    var pendingMaxT: Int64 = .min
    var definition: SeriesDefinitionState = .unlogged
    /// False for placeholders filling an id gap left by a failed batch.
    var isLive = true
}

/// All series of a store: dense ids from 0, a label lookup and postings for matchers.
struct SeriesTable {
    private(set) var entries: [SeriesEntry] = []
    private var byLabels: [Labels: UInt32] = [:]
    /// name -> value -> ids (ascending).
    private var postings: [String: [String: [UInt32]]] = [:]

    var count: Int { entries.count }

    func id(of labels: Labels) -> UInt32? { byLabels[labels] }

    /// Adds a series with the given id (WAL replay, checkpoint) or the next id (nil).
    @discardableResult
    mutating func add(_ labels: Labels, kind: MetricKind, id: UInt32? = nil) -> UInt32 {
        if let existing = byLabels[labels] { return existing }
        let newID = id ?? UInt32(entries.count)
        // Ids are dense; a replayed id beyond the end (a gap left by a failed batch) is filled.
        while entries.count < Int(newID) {
            entries.append(SeriesEntry(labels: Labels([]), kind: .gauge, isLive: false))
        }
        if Int(newID) < entries.count {
            entries[Int(newID)] = SeriesEntry(labels: labels, kind: kind)
        } else {
            entries.append(SeriesEntry(labels: labels, kind: kind))
        }
        byLabels[labels] = newID
        for p in labels.pairs { postings[p.name, default: [:]][p.value, default: []].append(newID) }
        return newID
    }

    subscript(id: UInt32) -> SeriesEntry {
        _read { yield entries[Int(id)] }
        _modify { yield &entries[Int(id)] }
    }

    func contains(_ id: UInt32) -> Bool { Int(id) < entries.count && entries[Int(id)].isLive }

    /// Ids of the series matching every matcher, ascending.
    /// `verdicts[i]`, when given, holds matcher `i`'s answer per label value, worked out before
    /// the caller took the lock; values missing from it are matched here.
    func select(_ matchers: [LabelMatcher], verdicts: [[String: Bool]] = []) -> [UInt32] {
        func accepts(_ i: Int, _ value: String?) -> Bool {
            if i < verdicts.count, let v = verdicts[i][value ?? ""] { return v }
            return matchers[i].matches(value)
        }
        var candidates: [UInt32]?
        for m in matchers where m.op == .equal && !m.value.isEmpty {
            let ids = postings[m.name]?[m.value] ?? []
            candidates = candidates.map { intersect($0, ids) } ?? ids
        }
        // A regex that cannot match the empty string narrows through the postings of the values
        // it matches (a literal alternation looks its values up directly).
        for (i, m) in matchers.enumerated() where m.op == .regexMatch && !accepts(i, nil) {
            let values = postings[m.name] ?? [:]
            var ids: [UInt32] = []
            if case .literals(let set)? = m.pattern {
                for v in set { ids += values[v] ?? [] }
            } else {
                for (v, list) in values where accepts(i, v) { ids += list }
            }
            ids.sort()  // one value per name and series: the lists are disjoint
            candidates = candidates.map { intersect($0, ids) } ?? ids
        }
        let base = candidates ?? (0..<UInt32(entries.count)).filter { contains($0) }
        return base.filter { id in matchers.indices.allSatisfy { accepts($0, entries[Int(id)].labels[matchers[$0].name]) } }
    }

    /// The distinct values of label `name`, unsorted.
    func distinctValues(_ name: String) -> [String] { postings[name].map { Array($0.keys) } ?? [] }

    func labelNames() -> [String] { postings.keys.sorted() }

    func labelValues(_ name: String) -> [String] { (postings[name]?.keys).map { $0.sorted() } ?? [] }

    private func intersect(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                out.append(a[i])
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return out
    }
}
