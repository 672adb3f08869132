/// Numbers and timestamps written exactly as Prometheus's API writes them (`jsonutil.MarshalFloat`,
/// `MarshalTimestamp`), so clients that compare strings see the same text.
public enum PromFormat {
    /// Go's `strconv.FormatFloat(v, 'f' or 'e', -1, 64)`: shortest round-trip digits, plain
    /// notation for 1e-6 <= |v| < 1e21, else `1.5e+21` / `1e-07`; `NaN`, `+Inf`, `-Inf`.
    public static func value(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Inf" : "+Inf" }
        let (negative, digits, pointAt) = decimalDigits(v)
        let sign = negative ? "-" : ""
        if digits.isEmpty { return sign + "0" }
        let magnitude = v.magnitude
        if magnitude < 1e-6 || magnitude >= 1e21 {
            // 'e' form: d[.ddd]e±XX with at least two exponent digits.
            let exponent = pointAt - 1
            var s = sign + String(digits.first ?? "0")
            if digits.count > 1 { s += "." + digits.dropFirst() }
            let e = exponent.magnitude
            return s + (exponent < 0 ? "e-" : "e+") + (e < 10 ? "0" : "") + String(e)
        }
        if pointAt <= 0 { return sign + "0." + String(repeating: "0", count: -pointAt) + digits }
        if pointAt >= digits.count { return sign + digits + String(repeating: "0", count: pointAt - digits.count) }
        let split = digits.index(digits.startIndex, offsetBy: pointAt)
        return sign + digits[..<split] + "." + digits[split...]
    }

    /// Epoch ms as Prometheus writes a sample time: seconds with up to three decimals, e.g.
    /// `1700000000`, `1700000000.5` is written `1700000000.500`.
    public static func timestamp(_ ms: Int64) -> String {
        let negative = ms < 0
        let m = ms.magnitude
        var s = (negative ? "-" : "") + String(m / 1000)
        let fraction = m % 1000
        if fraction != 0 {
            s += fraction < 10 ? ".00" : fraction < 100 ? ".0" : "."
            s += String(fraction)
        }
        return s
    }

    /// A finite number as a JSON number (shortest round-trip), `null` for NaN and infinities.
    public static func jsonNumber(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "null" }
        if v == v.rounded(), v.magnitude < 1e15 { return String(Int64(v)) }
        return v.description
    }

    /// Shortest round-trip decimal digits of a finite `v` (no leading or trailing zeros) and where
    /// the decimal point goes: v = 0.DIGITS x 10^pointAt. Zero gives no digits.
    static func decimalDigits(_ v: Double) -> (negative: Bool, digits: String, pointAt: Int) {
        // Swift's description is the shortest round-trip text ("1.5", "1e-07", "1.2345e+16").
        var text = Substring(v.description)
        let negative = text.first == "-"
        if negative { text = text.dropFirst() }
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = text[..<e]
        }
        var integer = text
        var fraction = Substring("")
        if let dot = text.firstIndex(of: ".") {
            integer = text[..<dot]
            fraction = text[text.index(after: dot)...]
        }
        var digits = String(integer) + fraction
        var pointAt = integer.count + exponent
        let leading = digits.prefix { $0 == "0" }.count
        digits.removeFirst(leading)
        pointAt -= leading
        while digits.last == "0" { digits.removeLast() }
        return (negative, digits, digits.isEmpty ? 0 : pointAt)
    }
}
