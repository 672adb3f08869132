/// Two-sided tabular CUSUM on standardised residuals: catches level shifts and slow drifts.
///
/// `up = max(0, up + x - k)`, `down = max(0, down - x - k)`; a sum reaching `h` is a change. After
/// a detection both sums restart at 0, and the change stays active while the side that fired keeps
/// a positive sum (the residual keeps exceeding k in the same direction): evidence is `s/h`, plus
/// 1 while active, so a persisting change keeps the score up and an isolated detection decays at
/// once.
struct ChangeDetector: Sendable {
    let k: Double
    let h: Double
    private(set) var up = 0.0
    private(set) var down = 0.0
    /// +1 / -1 while an upward / downward change is active, 0 otherwise.
    private(set) var active = 0

    init(k: Double, h: Double) {
        self.k = max(0, k)
        self.h = max(1e-9, h)
    }

    /// Feeds one standardised residual; returns the evidence (≥ 1 at a detection and while active).
    mutating func update(_ x: Double) -> Double {
        up = max(0, up + x - k)
        down = max(0, down - x - k)
        if (active > 0 && up == 0) || (active < 0 && down == 0) { active = 0 }
        let s = max(up, down)
        let evidence = s / h + (active != 0 ? 1 : 0)
        if s >= h {
            active = up >= down ? 1 : -1
            up = 0
            down = 0
        }
        return evidence
    }

    mutating func reset() {
        up = 0
        down = 0
        active = 0
    }
}
