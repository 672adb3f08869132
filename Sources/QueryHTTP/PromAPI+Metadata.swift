import Query
import TSDB

/// The metadata endpoints: series, label names and values, build info.
extension PromAPI {
    /// The version reported to clients that probe `/api/v1/status/buildinfo` (Grafana enables
    /// features by it; 2.40 predates native histograms, which we do not serve).
    public static let reportedVersion = "2.40.0"

    /// `/api/v1/series`: series matching any `match[]` selector that have data in [start, end].
    public func series(_ p: FormParameters) -> APIResponse {
        let selectors = p.all("match[]")
        guard !selectors.isEmpty else { return .badData("no match[] parameter provided") }
        let range: (Int64, Int64)?
        switch (time(p, "start", default: .min), time(p, "end", default: .max)) {
        case (.success(let s), .success(let e)): range = s == .min && e == .max ? nil : (s, e)
        case (.failure(let e), _), (_, .failure(let e)): return e.response
        }
        let found: [SeriesInfo]
        switch matching(selectors) {
        case .success(let s): found = s
        case .failure(let e): return e.response
        }
        let withData = range.map { r in found.filter { hasData($0.ref, from: r.0, to: r.1) } } ?? found
        return .ok(
            PromJSON.success { w in
                w.raw("[")
                for (i, s) in withData.enumerated() {
                    if i > 0 { w.raw(",") }
                    w.labels(s.labels)
                }
                w.raw("]")
            })
    }

    /// `/api/v1/labels`: label names, of the series matching `match[]` when given.
    public func labels(_ p: FormParameters) -> APIResponse {
        let selectors = p.all("match[]")
        if selectors.isEmpty { return .ok(PromJSON.success { $0.strings(store.labelNames()) }) }
        switch matching(selectors) {
        case .success(let found):
            let names = Set(found.flatMap { $0.labels.pairs.map(\.name) })
            return .ok(PromJSON.success { $0.strings(names.sorted()) })
        case .failure(let e): return e.response
        }
    }

    /// `/api/v1/label/<name>/values`: values of one label, of the series matching `match[]` when given.
    public func labelValues(_ name: String, _ p: FormParameters) -> APIResponse {
        let selectors = p.all("match[]")
        if selectors.isEmpty { return .ok(PromJSON.success { $0.strings(store.labelValues(name)) }) }
        switch matching(selectors) {
        case .success(let found):
            let values = Set(found.compactMap { $0.labels[name] })
            return .ok(PromJSON.success { $0.strings(values.sorted()) })
        case .failure(let e): return e.response
        }
    }

    /// `/api/v1/status/buildinfo`.
    public func buildInfo() -> APIResponse {
        .ok(
            PromJSON.success { w in
                w.raw("{\"version\":")
                w.string(PromAPI.reportedVersion)
                w.raw(",\"revision\":\"\",\"branch\":\"\",\"buildUser\":\"\",\"buildDate\":\"\",\"goVersion\":\"\"}")
            })
    }

    /// `/api/v1/metadata`: we keep no HELP/TYPE metadata; an empty object keeps Grafana happy.
    public func metadata() -> APIResponse { .ok(PromJSON.success { $0.raw("{}") }) }

    /// The union, in label order, of the series matching any of `selectors`.
    func matching(_ selectors: [String]) -> Result<[SeriesInfo], ParameterError> {
        var seen = Set<SeriesRef>()
        var out: [SeriesInfo] = []
        for text in selectors {
            let matchers: [LabelMatcher]
            do {
                matchers = try SeriesSelector.parse(text)
            } catch {
                return .failure(ParameterError(response: .badData("invalid parameter \"match[]\": \(error)")))
            }
            for s in store.select(matchers) where seen.insert(s.ref).inserted { out.append(s) }
        }
        out.sort { $0.labels < $1.labels }
        return .success(out)
    }

    /// Whether a series has a raw sample or a coarsest-rollup bucket in [from, to] (ms, inclusive).
    func hasData(_ ref: SeriesRef, from: Int64, to: Int64) -> Bool {
        let end = to == .max ? to : to + 1
        if let raw = try? store.samples(ref, from: from, to: end), raw.count > 0 { return true }
        guard let coarsest = store.options.rollupResolutions.max() else { return false }
        // A bucket starting before `from` may still hold data inside the range.
        let bucketFrom = from == .min ? from : from - from.modulo(coarsest)
        return ((try? store.rollups(ref, resolution: coarsest, from: bucketFrom, to: end)) ?? []).isEmpty == false
    }
}

extension Int64 {
    /// Non-negative remainder (floor modulo).
    fileprivate func modulo(_ m: Int64) -> Int64 {
        let r = self % m
        return r < 0 ? r + m : r
    }
}
