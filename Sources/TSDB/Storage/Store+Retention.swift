extension Store {
    /// The time retention counts back from, and the time by which ladder ranges count as
    /// settled. `.wallClock` (the service): the injected clock. `.newestSample` (import and
    /// compaction of historic data): the newest sample not later than the clock plus the
    /// future tolerance, so a single far-future sample can never make the store drop history.
    /// Never decreases while the store is open. Nil for an empty store in `.newestSample` mode.
    public var retentionReference: Int64? {
        let now = options.clock()
        switch options.retentionClock {
        case .wallClock:
            return now
        case .newestSample:
            let limit = now.addingReportingOverflow(options.futureTolerance).overflow ? Int64.max : now + options.futureTolerance
            guard let newest = newestTimestamp else { return nil }
            if newest <= limit { return newest }
            return newestSample(notAfter: limit)
        }
    }

    /// The newest sample at or before `limit`: block entries' ranges answer for most series;
    /// only a series whose newest sample lies past the limit is read.
    func newestSample(notAfter limit: Int64) -> Int64? {
        let (blocks, heads) = stateLock.withLock { (rawBlocks, frozenHeads + [head]) }
        var newest = Int64.min
        for h in heads where !h.isEmpty {
            if h.maxT <= limit {
                newest = max(newest, h.maxT)
                continue
            }
            for id in h.series.keys {
                if let t = h.samples(of: id, from: .min, to: limit &+ 1).timestamps.last { newest = max(newest, t) }
            }
        }
        for b in blocks where b.meta.samples > 0 && b.meta.minT <= limit {
            for e in b.entries where e.minT <= limit {
                if e.maxT <= limit {
                    newest = max(newest, e.maxT)
                } else if e.maxT > newest, let t = try? b.samples(of: e.id, from: .min, to: limit &+ 1).timestamps.last {
                    newest = max(newest, t)
                }
            }
        }
        return newest == .min ? nil : newest
    }
}
