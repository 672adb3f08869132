/// Finds whether every value of a column is a short decimal: v == Double(m) / 10^e bit for bit,
/// with one exponent e in 0...9 for the whole column. Latencies like 123.45 and counters then
/// become small integers that pack far better than their IEEE-754 bits.
enum DecimalScan {
    /// The exponent and the mantissas, or nil when no e in 0...9 reproduces every value
    /// (NaN, ±Inf, -0.0, 0.1 + 0.2, |v| * 10^e >= 9e18 ...).
    static func scan(_ vs: UnsafeBufferPointer<Double>) -> (exponent: Int, mantissas: [Int64])? {
        var exponent = 0
        var mantissas = [Int64](repeating: 0, count: vs.count)
        let done = mantissas.withUnsafeMutableBufferPointer { ms -> Bool in
            // Each restart raises the exponent, so at most 10 passes; real data settles on
            // its exponent within the first few values.
            restart: while true {
                let scale = ColumnFormat.powersOfTen[exponent]
                for i in 0..<vs.count {
                    if let m = mantissa(vs[i], scale: scale) {
                        ms[i] = m
                        continue
                    }
                    guard let e = smallestExponent(vs[i], above: exponent) else { return false }
                    exponent = e
                    continue restart
                }
                return true
            }
        }
        return done ? (exponent, mantissas) : nil
    }

    /// The value a decoder computes from a mantissa; the encoder checks exactly this.
    @inline(__always)
    static func value(_ m: Int64, scale: Double) -> Double { Double(m) / scale }

    private static func smallestExponent(_ v: Double, above e: Int) -> Int? {
        var candidate = e + 1
        while candidate <= ColumnFormat.maxDecimalExponent {
            if mantissa(v, scale: ColumnFormat.powersOfTen[candidate]) != nil { return candidate }
            candidate += 1
        }
        return nil
    }

    /// m with Double(m) / scale == v bitwise, if the nearest integer to v * scale is one.
    @inline(__always)
    private static func mantissa(_ v: Double, scale: Double) -> Int64? {
        let x = v * scale
        guard x.magnitude < 9.0e18 else { return nil }  // also rejects NaN and ±Inf
        var m = Int64(x)  // truncates toward zero; round to nearest below
        let fraction = x - Double(m)
        if fraction >= 0.5 { m += 1 } else if fraction <= -0.5 { m -= 1 }
        return value(m, scale: scale).bitPattern == v.bitPattern ? m : nil
    }
}
