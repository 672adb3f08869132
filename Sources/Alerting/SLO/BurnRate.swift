import TSDB

/// One multi-window burn-rate alert condition (Google SRE workbook, "Alerting on SLOs"): it
/// holds when the burn rate over BOTH the long and the short window is at or above `threshold`.
/// The long window makes the alert significant, the short one makes it reset quickly.
public struct BurnRateRule: Sendable, Equatable {
    public var name: String
    public var longWindow: Int64
    public var shortWindow: Int64
    public var threshold: Double
    public var severity: AlertSeverity

    /// A condition as given.
    public init(name: String, longWindow: Int64, shortWindow: Int64, threshold: Double, severity: AlertSeverity) {
        self.name = name
        self.longWindow = longWindow
        self.shortWindow = shortWindow
        self.threshold = threshold
        self.severity = severity
    }

    /// 1 h and 5 m at burn >= 14.4 (2 % of a 30-day budget in one hour): critical.
    public static let fast = BurnRateRule(
        name: "fast", longWindow: StoreOptions.hour, shortWindow: 5 * StoreOptions.minute, threshold: 14.4, severity: .critical)
    /// 6 h and 30 m at burn >= 6 (5 % of a 30-day budget in six hours): warning.
    public static let slow = BurnRateRule(
        name: "slow", longWindow: 6 * StoreOptions.hour, shortWindow: 30 * StoreOptions.minute, threshold: 6, severity: .warning)
    /// The workbook's page-worthy pair: fast and slow.
    public static let sreWorkbook: [BurnRateRule] = [fast, slow]

    /// Burn rate of `counts` against `target`: (bad / total) / (1 - target); nil without events.
    public static func burnRate(_ counts: SLOCounts, target: Double) -> Double? {
        guard counts.total > 0 else { return nil }
        return (Double(counts.bad) / Double(counts.total)) / (1 - target)
    }
}

/// One rule's burn rates at one time and whether its condition holds.
public struct BurnRateCondition: Sendable, Equatable {
    public var rule: BurnRateRule
    /// nil when the window held no events.
    public var longBurnRate: Double?, shortBurnRate: Double?
    /// Both burn rates are known and at or above the threshold.
    public var holds: Bool

    /// The condition of `rule` given its two windows' burn rates.
    public init(rule: BurnRateRule, longBurnRate: Double?, shortBurnRate: Double?) {
        self.rule = rule
        self.longBurnRate = longBurnRate
        self.shortBurnRate = shortBurnRate
        if let l = longBurnRate, let s = shortBurnRate {
            holds = l >= rule.threshold && s >= rule.threshold
        } else {
            holds = false
        }
    }
}

/// The multi-window multi-burn-rate state of one SLO at one time.
public struct BurnRateStatus: Sendable, Equatable {
    public var sloName: String
    public var at: Int64
    /// One entry per rule, in the rules' order.
    public var conditions: [BurnRateCondition]

    /// The highest severity among the conditions that hold; nil when none does.
    public var severity: AlertSeverity? { conditions.filter(\.holds).map(\.rule.severity).max() }

    /// The condition of the rule named `name` ("fast", "slow" for the defaults).
    public func condition(_ name: String) -> BurnRateCondition? { conditions.first { $0.rule.name == name } }
}
