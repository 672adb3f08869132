import TSDB

/// Settings of `DataQualityReport`.
public struct DataQualityConfig: Sendable {
    /// An event is late when it arrives more than this after its own timestamp, ms.
    public var lateThresholdMs: Int64
    /// Services that should report; listed as silent when unheard for `silentAfterMs`.
    public var expectedServices: [String]
    public var silentAfterMs: Int64
    /// Lateness percentiles cover the most recent this-many accepted events.
    public var latenessWindow: Int

    public init(
        lateThresholdMs: Int64 = 60_000, expectedServices: [String] = [], silentAfterMs: Int64 = 5 * 60_000, latenessWindow: Int = 10_000
    ) {
        self.lateThresholdMs = lateThresholdMs
        self.expectedServices = expectedServices
        self.silentAfterMs = silentAfterMs
        self.latenessWindow = max(1, latenessWindow)
    }
}

/// Accumulates data-quality figures of the ingest stream for `GET /api/v1/quality` and Redis:
/// totals, rejections by reason, out-of-range values per type, missing timestamps, late events
/// with lateness percentiles, last-seen time per service and silent expected services.
/// A value type: the owner serialises access (one per consumer, or behind a lock).
public struct DataQualityReport: Sendable {
    /// Per-service activity.
    public struct ServiceActivity: Sendable, Equatable {
        /// Ingest time of the service's latest accepted event, ms.
        public var lastSeen: Int64
        public var events: Int
    }

    public let config: DataQualityConfig
    /// When accumulation started, ms (a never-seen expected service is silent after `silentAfterMs` from here).
    public let startedAt: Int64
    public private(set) var valid = 0
    public private(set) var rejected = 0
    public private(set) var rejectedByReason: [String: Int] = [:]
    public private(set) var outOfRangeByType: [String: Int] = [:]
    public private(set) var missingTimestamps = 0
    public private(set) var skippedStringFields = 0
    public private(set) var lateEvents = 0
    public private(set) var services: [String: ServiceActivity] = [:]
    /// Ring of the latest lateness values (ms, negative lateness counted as 0).
    private var lateness: [Int64] = []
    private var latenessNext = 0

    public init(config: DataQualityConfig = DataQualityConfig(), startedAt: Int64) {
        self.config = config
        self.startedAt = startedAt
    }

    /// Accepted plus rejected items (events and rejected lines or messages).
    public var total: Int { valid + rejected }

    /// Counts an accepted event that arrived at `ingestTime` (ms).
    public mutating func recordAccepted(_ event: MetricEvent, ingestTime: Int64) {
        valid += 1
        let (diff, overflow) = ingestTime.subtractingReportingOverflow(event.timestamp)
        let late = overflow ? (event.timestamp < 0 ? Int64.max : 0) : max(0, diff)
        if late > config.lateThresholdMs { lateEvents += 1 }
        if lateness.count < config.latenessWindow {
            lateness.append(late)
        } else {
            lateness[latenessNext] = late
            latenessNext = (latenessNext + 1) % config.latenessWindow
        }
        let service = event.labels.serviceName
        if var a = services[service] {
            a.lastSeen = max(a.lastSeen, ingestTime)
            a.events += 1
            services[service] = a
        } else {
            services[service] = ServiceActivity(lastSeen: ingestTime, events: 1)
        }
    }

    /// Counts a rejection by its reason (and by type when out of range).
    public mutating func recordRejected(_ rejection: IngestRejection) {
        rejected += 1
        rejectedByReason[rejection.reason, default: 0] += 1
        switch rejection {
        case .outOfRange(let type, _, _, _): outOfRangeByType[type, default: 0] += 1
        case .event(.missingField("timestamp"), _): missingTimestamps += 1
        default: break
        }
    }

    /// Counts a whole decoded (and validated) message: its events as accepted.
    public mutating func record(_ message: DecodedMessage, ingestTime: Int64) {
        for e in message.events { recordAccepted(e, ingestTime: ingestTime) }
        for r in message.rejections { recordRejected(r) }
        missingTimestamps += message.missingTimestamps
        skippedStringFields += message.skippedStringFields
    }

    /// Nearest-rank percentile (`q` in 0...1) of lateness over the window, ms; nil when empty.
    public func latenessPercentile(_ q: Double) -> Int64? {
        guard !lateness.isEmpty else { return nil }
        let sorted = lateness.sorted()
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// Expected services with no accepted event during the last `silentAfterMs`, sorted.
    public func silentServices(now: Int64) -> [String] {
        config.expectedServices.filter { name in
            let last = services[name]?.lastSeen ?? startedAt
            let (quiet, overflow) = now.subtractingReportingOverflow(last)
            return !overflow && quiet > config.silentAfterMs
        }.sorted()
    }

    /// The report as one JSON object (keys in fixed order, maps sorted by key).
    public func json(now: Int64) -> [UInt8] {
        var o: [UInt8] = []
        func put(_ s: String) { o.append(contentsOf: s.utf8) }
        func map(_ name: String, _ d: [String: Int]) {
            put(",\"\(name)\":{")
            for (i, k) in d.keys.sorted().enumerated() {
                if i > 0 { put(",") }
                JSONText.appendKey(k, to: &o)
                put(String(d[k] ?? 0))
            }
            put("}")
        }
        func list(_ name: String, _ items: [String]) {
            put(",\"\(name)\":[")
            for (i, s) in items.enumerated() {
                if i > 0 { put(",") }
                JSONText.appendString(s, to: &o)
            }
            put("]")
        }
        func number(_ v: Int64?) -> String { v.map { String($0) } ?? "null" }
        put("{\"since_ms\":\(startedAt),\"now_ms\":\(now),\"total\":\(total),\"valid\":\(valid),\"rejected\":\(rejected)")
        map("rejected_by_reason", rejectedByReason)
        map("out_of_range_by_type", outOfRangeByType)
        put(",\"missing_timestamps\":\(missingTimestamps),\"skipped_string_fields\":\(skippedStringFields)")
        put(",\"late_events\":\(lateEvents),\"late_threshold_ms\":\(config.lateThresholdMs)")
        put(",\"lateness_ms\":{\"p50\":\(number(latenessPercentile(0.5))),\"p99\":\(number(latenessPercentile(0.99)))")
        put(",\"max\":\(number(lateness.max())),\"window\":\(lateness.count)}")
        put(",\"services\":{")
        for (i, name) in services.keys.sorted().enumerated() {
            if i > 0 { put(",") }
            JSONText.appendKey(name, to: &o)
            let a = services[name] ?? ServiceActivity(lastSeen: 0, events: 0)
            put("{\"last_seen_ms\":\(a.lastSeen),\"events\":\(a.events)}")
        }
        put("}")
        list("expected_services", config.expectedServices)
        list("silent_services", silentServices(now: now))
        put("}")
        return o
    }
}
