/// Finds whether every value of a column is a rate as monitoring systems export them: an
/// integer count k divided by a small interval d (60 for per-second rates of per-minute
/// counts, 3600 for hourly ones...) in floating point, printed with P significant decimal digits
/// and parsed back (`value`), bit for bit. Such values (1678991.51666667 = 100739491 / 60 to 15 digits) look random to XOR and
/// decimal coding, but their counts k are small integers whose deltas pack into a few bits.
enum RationalScan {
    /// Intervals tried, most common first.
    static let denominators: [Int64] = [60, 3600, 300, 600, 900, 1800, 120, 30, 15, 10, 7200, 86400, 1440, 24]
    /// Significant digits tried: the usual printing precisions first.
    static let digitCounts = [15, 17, 16, 14, 13, 12, 11, 10, 9, 8, 7, 6]
    static let maxDenominator: Int64 = 1 << 32
    /// |k| stays below 2^53 so that the probe `v * d` rounds to it exactly.
    static let maxNumerator: Int64 = 1 << 53

    /// The denominator, the digit count and the numerators, or nil when no candidate reproduces
    /// every value exactly (NaN, ±Inf, -0.0 and values of no such form never do).
    static func scan(_ vs: UnsafeBufferPointer<Double>) -> (denominator: Int64, digits: Int, numerators: [Int64])? {
        let probes = vs.lazy.filter { $0 != 0 }.prefix(8)
        guard !probes.isEmpty else { return nil }
        for d in denominators {
            for p in digitCounts where probes.allSatisfy({ numerator($0, d, p) != nil }) {
                var ks = [Int64](repeating: 0, count: vs.count)
                var ok = true
                for i in 0..<vs.count {
                    guard let k = numerator(vs[i], d, p) else {
                        ok = false
                        break
                    }
                    ks[i] = k
                }
                if ok { return (d, p, ks) }
            }
        }
        return nil
    }

    /// k with value(k, d, p) == v bitwise, if the nearest integer to v * d is one.
    @inline(__always)
    static func numerator(_ v: Double, _ d: Int64, _ p: Int) -> Int64? {
        let x = (v * Double(d)).rounded()
        guard x.magnitude < Double(maxNumerator) else { return nil }  // also rejects NaN and ±Inf
        let k = Int64(x)
        guard let back = value(k, denominator: d, digits: p), back.bitPattern == v.bitPattern else { return nil }
        return k
    }

    /// What a decoder computes: the Double nearest to k / d, printed with `digits` significant
    /// digits (as printf's `%.{digits}g` does: exactly, ties to even) and parsed back; nil when
    /// that is out of this exact method's reach.
    static func value(_ k: Int64, denominator d: Int64, digits: Int) -> Double? {
        guard d > 0, d <= maxDenominator, (1...17).contains(digits), k.magnitude < UInt64(maxNumerator) else { return nil }
        if k == 0 { return 0 }
        let q = Double(k.magnitude) / Double(d)  // both exact; the quotient rounded once
        guard q.isNormal else { return nil }
        // 17 significant digits print any Double so that it parses back to itself.
        if digits == 17 { return k < 0 ? -q : q }
        // q = significand * 2^binaryExponent exactly.
        let significand = UInt128(q.significandBitPattern | (1 << 52))
        let binaryExponent = Int(q.exponent) - 52
        var e = Int((Double(q.exponent) * 0.30102999566398120).rounded(.down))
        for _ in 0..<4 {
            let places = digits - 1 - e
            guard let m = scaledRounded(significand, binaryExponent: binaryExponent, places: places) else { return nil }
            if m >= powers128[digits] {
                e += 1
                continue
            }
            if m < powers128[digits - 1] {
                e -= 1
                continue
            }
            // Exact only while m and the power of ten are exact doubles (Clinger's fast path).
            guard m < 1 << 53 else { return nil }
            let magnitude: Double
            if places >= 0 {
                guard places <= 22 else { return nil }
                magnitude = Double(UInt64(m)) / exactPowers[places]
            } else {
                guard -places <= 22 else { return nil }
                magnitude = Double(UInt64(m)) * exactPowers[-places]
            }
            return k < 0 ? -magnitude : magnitude
        }
        return nil
    }

    /// round(significand * 2^binaryExponent * 10^places), ties to even, exactly in 128 bits.
    private static func scaledRounded(_ significand: UInt128, binaryExponent: Int, places: Int) -> UInt128? {
        guard abs(places) < powers128.count, binaryExponent > -120, binaryExponent < 64 else { return nil }
        var numerator = significand
        var denominator: UInt128 = 1
        if places >= 0 {
            let (n, overflow) = numerator.multipliedReportingOverflow(by: powers128[places])
            guard !overflow else { return nil }
            numerator = n
        } else {
            denominator = powers128[-places]
        }
        if binaryExponent >= 0 {
            guard numerator.leadingZeroBitCount > binaryExponent else { return nil }
            numerator <<= UInt128(binaryExponent)
        } else {
            guard denominator.leadingZeroBitCount > -binaryExponent else { return nil }
            denominator <<= UInt128(-binaryExponent)
        }
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        let twice = remainder << 1
        if twice > denominator || (twice == denominator && quotient & 1 == 1) { return quotient + 1 }
        return quotient
    }

    private static let powers128: [UInt128] = (0...38).map { i in (0..<i).reduce(UInt128(1)) { p, _ in p * 10 } }
    private static let exactPowers: [Double] = (0...22).map { i in (0..<i).reduce(1.0) { p, _ in p * 10 } }
}
