import TSDB

/// A value range for the metric types a rule matches.
public struct RangeRule: Sendable, Equatable {
    /// How a rule matches a metric type name.
    public enum Match: Sendable, Equatable {
        case exact(String)
        case suffix(String)
        case contains(String)
    }

    public var match: Match
    public var min: Double
    public var max: Double

    public init(_ match: Match, min: Double = -.infinity, max: Double = .infinity) {
        self.match = match
        self.min = min
        self.max = max
    }

    /// True when `type` is covered by this rule.
    public func matches(_ type: String) -> Bool {
        switch match {
        case .exact(let s): type == s
        case .suffix(let s): type.hasSuffix(s)
        case .contains(let s): type.contains(s)
        }
    }

    /// Percentages 0-100, ratios 0-1, counters >= 0, durations (`_ms`, `_seconds`, `latency`)
    /// from 0 to about 31 years; other values only need to be finite.
    public static let defaults: [RangeRule] = [
        RangeRule(.suffix("_percent"), min: 0, max: 100),
        RangeRule(.suffix("_ratio"), min: 0, max: 1),
        RangeRule(.suffix("_total"), min: 0),
        RangeRule(.suffix("_ms"), min: 0, max: maxDurationMs),
        RangeRule(.suffix("_seconds"), min: 0, max: maxDurationMs / 1000),
        RangeRule(.contains("latency"), min: 0, max: maxDurationMs),
    ]

    /// 10^12 ms, about 31.7 years: no real duration is longer, and 1e19 ms is a unit bug.
    public static let maxDurationMs: Double = 1e12
}

/// Settings of `EventValidator`.
public struct EventValidatorConfig: Sendable, Equatable {
    /// Checked in order; the first rule matching a type applies. Put exact overrides first.
    public var rules: [RangeRule]
    /// How far ahead of the ingest clock an event may be (clock skew), ms.
    public var futureToleranceMs: Int64
    /// How far behind the ingest clock an event may be, ms (the store enforces its own
    /// out-of-order window on top).
    public var maxAgeMs: Int64

    public init(rules: [RangeRule] = RangeRule.defaults, futureToleranceMs: Int64 = 5 * 60_000, maxAgeMs: Int64 = 7 * 86_400_000) {
        self.rules = rules
        self.futureToleranceMs = futureToleranceMs
        self.maxAgeMs = maxAgeMs
    }
}

/// Checks parsed events (the parsers already checked the schema): finite values, per-type
/// ranges, timestamps neither too far in the future nor too old against an injected clock.
public struct EventValidator: Sendable {
    public let config: EventValidatorConfig
    /// Milliseconds since the Unix epoch (injected so tests control time).
    public let clock: @Sendable () -> Int64

    public init(config: EventValidatorConfig = EventValidatorConfig(), clock: @escaping @Sendable () -> Int64) {
        self.config = config
        self.clock = clock
    }

    /// Validates against the clock's current time.
    public func validate(_ event: MetricEvent) throws(IngestRejection) {
        try validate(event, now: clock())
    }

    /// Validates against `now` (ms), e.g. one clock reading per message.
    public func validate(_ event: MetricEvent, now: Int64) throws(IngestRejection) {
        let v = event.value
        if !v.isFinite { throw .nonFinite(type: event.labels.metricType, value: v) }
        guard SampleLimits.isValidTimestamp(event.timestamp) else { throw .timestampOutOfRange(timestamp: event.timestamp) }
        // Bounds saturate instead of wrapping, so extreme timestamps compare correctly.
        let (latest, pastMax) = now.addingReportingOverflow(config.futureToleranceMs)
        if !pastMax && event.timestamp > latest {
            throw .futureTimestamp(timestamp: event.timestamp, now: now, toleranceMs: config.futureToleranceMs)
        }
        let (oldest, pastMin) = now.subtractingReportingOverflow(config.maxAgeMs)
        if !pastMin && event.timestamp < oldest {
            throw .tooOld(timestamp: event.timestamp, now: now, maxAgeMs: config.maxAgeMs)
        }
        let type = event.labels.metricType
        if let rule = config.rules.first(where: { $0.matches(type) }), v < rule.min || v > rule.max {
            throw .outOfRange(type: type, value: v, min: rule.min, max: rule.max)
        }
    }

    /// Moves the invalid events of `message` to its rejections, keeping the valid ones in order.
    public func filter(_ message: inout DecodedMessage, now: Int64) {
        var kept = 0
        for i in message.events.indices {
            do {
                try validate(message.events[i], now: now)
                message.events.swapAt(kept, i)
                kept += 1
            } catch {
                message.rejections.append(error)
            }
        }
        message.events.removeLast(message.events.count - kept)
    }
}
