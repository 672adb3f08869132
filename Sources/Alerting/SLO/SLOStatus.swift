/// Compliance and error budget of an SLO over its period ending at `at`.
///
/// With N events, G good and B = N - G bad, and target T:
/// - compliance = G / N (nil without events);
/// - error budget = (1 - T) * N events allowed to be bad;
/// - budget consumed = B / budget (1 = exactly spent, above 1 overspent; 0 without events);
/// - budget remaining = 1 - consumed (negative once overspent).
public struct SLOStatus: Sendable, Equatable {
    public var spec: SLOSpec
    /// End of the period (exclusive): the status covers [at - period, at).
    public var at: Int64
    public var counts: SLOCounts
    /// Good fraction so far; nil without events.
    public var compliance: Double?
    /// Bad events the objective allows in the period so far.
    public var errorBudget: Double
    /// Fraction of the budget spent (can exceed 1).
    public var budgetConsumed: Double
    /// 1 - budgetConsumed (can go negative).
    public var budgetRemaining: Double

    /// The status of `counts` against `spec`'s target (pure arithmetic, see the type comment).
    public init(spec: SLOSpec, at: Int64, counts: SLOCounts) {
        self.spec = spec
        self.at = at
        self.counts = counts
        let total = Double(counts.total)
        compliance = counts.total > 0 ? Double(counts.good) / total : nil
        errorBudget = spec.allowedBadFraction * total
        budgetConsumed = counts.total > 0 ? Double(counts.bad) / errorBudget : 0
        budgetRemaining = 1 - budgetConsumed
    }

    /// Whether compliance meets the target (nil without events).
    public var meetsObjective: Bool? { compliance.map { $0 >= spec.target } }
}
