import TSDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension InfluxLineParser {
    /// The labels of one field's series, from the cache when its raw bytes were seen before.
    /// `fallback` is the attributed service when the line has no `service` tag (part of the
    /// key); `seriesHash` is `LPSeriesCache.hash(series:fallback:)`, computed once per line.
    func labelsFor(
        _ p: UnsafePointer<UInt8>, _ series: UnsafeBufferPointer<UInt8>, _ seriesHash: UInt64,
        _ measurement: LPSpan, _ field: LPSpan, _ fallback: String?, _ service: String
    ) throws(LineProtocolError) -> Labels {
        let fieldBytes = UnsafeBufferPointer(start: p + field.start, count: field.end - field.start)
        let hash = LPSeriesCache.hash(seriesHash, field: fieldBytes)
        if let hit = cache.lookup(hash, series, fieldBytes, fallback) { return hit }
        let labels = try buildLabels(p, measurement, field, service)
        cache.insert(hash, series, fieldBytes, fallback, labels)
        return labels
    }

    private func buildLabels(_ p: UnsafePointer<UInt8>, _ measurement: LPSpan, _ field: LPSpan, _ service: String) throws(LineProtocolError)
        -> Labels
    {
        let m = LPScan.unescape(p, measurement)
        let f = LPScan.unescape(p, field)
        var dict: [String: String] = [:]
        for tag in tags {
            let key = LPScan.unescape(p, tag.key)
            if key == Labels.metricName { throw LineProtocolError(.conflictingTag(key), offset: tag.key.start) }
            dict[key] = LPScan.unescape(p, tag.value)
        }
        let labels = Labels(type: f == "value" ? m : m + "_" + f, service: service, tags: dict)
        if let violation = LabelLimits.violation(labels) { throw LineProtocolError(.labelLimit(violation), offset: measurement.start) }
        return labels
    }
}

/// Interned labels keyed by a line's raw series bytes (`measurement,tags`), the field key and
/// the fallback service. A 64-bit hash picks the slot; the stored key confirms the hit.
struct LPSeriesCache {
    private struct Entry {
        var key: [UInt8]
        var seriesCount: Int
        var fallback: String?
        var labels: Labels
    }

    private var table: [UInt64: Entry] = [:]
    private let limit: Int

    init(limit: Int) { self.limit = max(1, limit) }

    func lookup(_ hash: UInt64, _ series: UnsafeBufferPointer<UInt8>, _ field: UnsafeBufferPointer<UInt8>, _ fallback: String?) -> Labels? {
        guard let e = table[hash], e.seriesCount == series.count, e.key.count == series.count + field.count,
            e.fallback == fallback
        else { return nil }
        let same = e.key.withUnsafeBufferPointer { k -> Bool in
            guard let base = k.baseAddress else { return true }
            return Self.equal(base, series) && Self.equal(base + series.count, field)
        }
        return same ? e.labels : nil
    }

    mutating func insert(
        _ hash: UInt64, _ series: UnsafeBufferPointer<UInt8>, _ field: UnsafeBufferPointer<UInt8>, _ fallback: String?, _ labels: Labels
    ) {
        if table.count >= limit { table.removeAll(keepingCapacity: true) }
        var key: [UInt8] = []
        key.reserveCapacity(series.count + field.count)
        key.append(contentsOf: series)
        key.append(contentsOf: field)
        table[hash] = Entry(key: key, seriesCount: series.count, fallback: fallback, labels: labels)
    }

    private static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let bb = b.baseAddress else { return true }
        return memcmp(a, bb, b.count) == 0
    }

    private static let prime: UInt64 = 0x100_0000_01b3

    /// FNV-1a over the series bytes, then the fallback service (if any), with separators.
    static func hash(series: UnsafeBufferPointer<UInt8>, fallback: String?) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in series { h = (h ^ UInt64(byte)) &* prime }
        h = (h ^ 0xFF) &* prime
        if let fallback {
            for byte in fallback.utf8 { h = (h ^ UInt64(byte)) &* prime }
            h = (h ^ 0xFE) &* prime
        }
        return h
    }

    /// Continues a series hash with one field key.
    static func hash(_ seriesHash: UInt64, field: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = seriesHash
        for byte in field { h = (h ^ UInt64(byte)) &* prime }
        return h
    }
}
