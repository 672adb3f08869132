#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A JSON number as scanned: value = ±(significand + dropped) × 10^exponent, where `significand`
/// keeps the first 19 significant digits and `truncated` says a dropped digit was non-zero.
/// Kept in decimal so timestamps convert to milliseconds exactly, without a Double detour.
struct JSONNumber {
    var negative = false
    var significand: UInt64 = 0
    var exponent = 0
    /// Significant digits kept in `significand` (<= 19).
    var digits = 0
    var truncated = false
    /// Byte range of the number's text in the line (for the slow conversion path).
    var start = 0
    var end = 0

    /// Number of digits before the decimal point of |value| (<= 0 for |value| < 1); 0 for zero.
    var magnitude: Int { significand == 0 ? 0 : digits + exponent }

    /// True when |value| > Double.greatestFiniteMagnitude, which JSON cannot represent.
    func overflowsDouble(_ base: UnsafePointer<UInt8>) -> Bool {
        let m = magnitude
        if m <= 308 { return false }
        if m >= 310 { return true }
        return doubleValue(base).isInfinite
    }

    /// The correctly rounded Double: Clinger's fast path when the significand and the power
    /// of ten are both exact Doubles, otherwise `strtod` over a NUL-terminated copy.
    func doubleValue(_ base: UnsafePointer<UInt8>) -> Double {
        if significand == 0 { return negative ? -0.0 : 0.0 }
        if significand <= 1 << 53 && !truncated && exponent >= -22 && exponent <= 22 {
            var d = Double(significand)
            if exponent >= 0 { d *= jsonPowersOfTen[exponent] } else { d /= jsonPowersOfTen[-exponent] }
            return negative ? -d : d
        }
        return JSONNumber.strtodValue(UnsafeRawBufferPointer(start: base + start, count: end - start))
    }

    /// `strtod` over a copy with a trailing NUL. The process runs in the "C" locale (Swift never
    /// calls setlocale), so the decimal point is '.'; glibc's strtod is correctly rounded.
    static func strtodValue(_ text: UnsafeRawBufferPointer) -> Double {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: text.count + 1) { tmp in
            guard let p = tmp.baseAddress else { return .nan }
            for i in 0..<text.count { p[i] = CChar(bitPattern: text[i]) }
            p[text.count] = 0
            return strtod(p, nil)
        }
    }
}

/// 10^0 ... 10^22: every one is exactly representable as a Double.
let jsonPowersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]

/// 10^0 ... 10^19 as integers.
let jsonIntegerPowersOfTen: [UInt64] = {
    var p: [UInt64] = [1]
    for _ in 1...19 { p.append(p[p.count - 1] &* 10) }
    return p
}()
