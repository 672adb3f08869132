/// A series as `select` returns it.
public struct SeriesInfo: Sendable, Hashable {
    public let ref: SeriesRef
    public let labels: Labels
    public let kind: MetricKind
}

/// Samples of one series in columns, sorted by timestamp (equal timestamps in arrival order).
public struct SampleColumns: Sendable, Equatable {
    public var timestamps: [Int64] = []
    public var values: [Double] = []

    public init(timestamps: [Int64] = [], values: [Double] = []) {
        self.timestamps = timestamps
        self.values = values
    }

    public var count: Int { timestamps.count }
    public var samples: [Sample] { zip(timestamps, values).map { Sample($0, $1) } }

    public static func == (a: SampleColumns, b: SampleColumns) -> Bool {
        a.timestamps == b.timestamps && a.values.map(\.bitPattern) == b.values.map(\.bitPattern)
    }
}

extension Store {
    /// Series whose labels satisfy every matcher, ordered by labels.
    public func select(_ matchers: [LabelMatcher]) -> [SeriesInfo] {
        let verdicts = regexVerdicts(matchers)
        return stateLock.withLock {
            series.select(matchers, verdicts: verdicts).map {
                SeriesInfo(ref: SeriesRef(id: $0), labels: series[$0].labels, kind: series[$0].kind)
            }
        }.sorted { $0.labels < $1.labels }
    }

    /// Each regex matcher's answer for every current value of its label, worked out outside the
    /// state lock (once per distinct value, not per series), so appends never wait for a regex.
    private func regexVerdicts(_ matchers: [LabelMatcher]) -> [[String: Bool]] {
        let regexes = matchers.indices.filter {
            guard let p = matchers[$0].pattern, case .regex = p else { return false }
            return true
        }
        guard !regexes.isEmpty else { return [] }
        let names = Set(regexes.map { matchers[$0].name })
        let values = stateLock.withLock { Dictionary(uniqueKeysWithValues: names.map { ($0, series.distinctValues($0)) }) }
        var verdicts = [[String: Bool]](repeating: [:], count: matchers.count)
        for i in regexes {
            let m = matchers[i]
            var v: [String: Bool] = ["": m.matches(nil)]
            for value in values[m.name] ?? [] { v[value] = m.matches(value) }
            verdicts[i] = v
        }
        return verdicts
    }

    public func labelNames() -> [String] { stateLock.withLock { series.labelNames() } }
    public func labelValues(_ name: String) -> [String] { stateLock.withLock { series.labelValues(name) } }

    /// Raw samples of a series within `[from, to)`, from blocks and head.
    public func samples(_ ref: SeriesRef, from: Int64 = .min, to: Int64 = .max) throws(StoreError) -> SampleColumns {
        let (blocks, headParts) = stateLock.withLock { (rawBlocks, headSamples(of: ref.id, from: from, to: to)) }
        var parts: [(timestamps: [Int64], values: [Double])] = []
        for block in blocks where block.overlaps(from, to) {
            let part = try block.samples(of: ref.id, from: from, to: to)
            if !part.timestamps.isEmpty { parts.append(part) }
        }
        parts += headParts
        return Store.merge(parts)
    }

    /// The non-empty parts of a series in the frozen heads (oldest first) and the head, in
    /// `[from, to)`. Caller holds the state lock.
    func headSamples(of id: UInt32, from: Int64, to: Int64) -> [(timestamps: [Int64], values: [Double])] {
        var parts: [(timestamps: [Int64], values: [Double])] = []
        for h in frozenHeads + [head] {
            let part = h.samples(of: id, from: from, to: to)
            if !part.timestamps.isEmpty { parts.append(part) }
        }
        return parts
    }

    /// Raw samples of the series with exactly these labels (empty when there is none).
    public func samples(_ labels: Labels, from: Int64 = .min, to: Int64 = .max) throws(StoreError) -> SampleColumns {
        guard let id = stateLock.withLock({ series.id(of: labels) }) else { return SampleColumns() }
        return try samples(SeriesRef(id: id), from: from, to: to)
    }

    /// Stable k-way merge by timestamp; parts earlier in the list win ties.
    static func merge(_ parts: [(timestamps: [Int64], values: [Double])]) -> SampleColumns {
        if parts.isEmpty { return SampleColumns() }
        if parts.count == 1 { return SampleColumns(timestamps: parts[0].timestamps, values: parts[0].values) }
        // Blocks that follow one another in time (the common case) concatenate.
        var disjoint = true
        for i in parts.indices.dropFirst() where (parts[i].timestamps.first ?? .max) < (parts[i - 1].timestamps.last ?? .min) {
            disjoint = false
            break
        }
        if disjoint {
            var out = SampleColumns()
            let total = parts.reduce(0) { $0 + $1.timestamps.count }
            out.timestamps.reserveCapacity(total)
            out.values.reserveCapacity(total)
            for p in parts {
                out.timestamps.append(contentsOf: p.timestamps)
                out.values.append(contentsOf: p.values)
            }
            return out
        }
        var ts: [Int64] = []
        var vs: [Double] = []
        let total = parts.reduce(0) { $0 + $1.timestamps.count }
        ts.reserveCapacity(total)
        vs.reserveCapacity(total)
        var cursors = [Int](repeating: 0, count: parts.count)
        for _ in 0..<total {
            var best = -1
            var bestT = Int64.max
            for p in parts.indices where cursors[p] < parts[p].timestamps.count {
                let t = parts[p].timestamps[cursors[p]]
                if best < 0 || t < bestT {
                    best = p
                    bestT = t
                }
            }
            ts.append(bestT)
            vs.append(parts[best].values[cursors[best]])
            cursors[best] += 1
        }
        return SampleColumns(timestamps: ts, values: vs)
    }

    /// Newest sample timestamp in the store (head, raw blocks and rollups); retention counts
    /// back from it.
    public var newestTimestamp: Int64? {
        stateLock.withLock {
            var newest = head.isEmpty ? Int64.min : head.maxT
            for h in frozenHeads where !h.isEmpty { newest = max(newest, h.maxT) }
            for b in rawBlocks where b.meta.samples > 0 { newest = max(newest, b.meta.maxT) }
            for b in rollupBlocks.values.joined() where b.meta.samples > 0 { newest = max(newest, b.meta.maxT) }
            return newest == .min ? nil : newest
        }
    }
}
