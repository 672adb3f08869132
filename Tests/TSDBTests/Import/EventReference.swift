import Foundation

@testable import TSDB

/// The reference for the differential tests: Foundation's JSONSerialization parses the line,
/// then a plain schema check over the dictionary says what the event must be.
enum EventReference {
    enum Tag: Equatable { case text(String), number(Double) }
    enum Timestamp: Equatable { case exact(Int64), approximate(Int64), unknown }

    struct Event {
        var service: String
        var type: String
        var value: Double
        /// Foundation's NSDecimalNumber→Double is not correctly rounded, so `value` is Swift's
        /// `Double(String)` of its exact decimal text; beyond 38 digits that text is cut short.
        var valueIsLongDecimal: Bool
        /// Foundation reads "-0" as the integer 0 and loses the sign.
        var valueIsIntegerZero: Bool
        var timestamp: Timestamp
        var tags: [String: Tag]
    }

    enum Outcome { case accepted(Event), rejected(String) }

    static func isBool(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

    static func parse(_ bytes: [UInt8]) -> Outcome {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            return .rejected("json")
        }
        guard let d = object as? [String: Any] else { return .rejected("not an object") }
        guard let service = d["service"] as? String, !service.isEmpty else { return .rejected("service") }
        guard let type = d["type"] as? String, !type.isEmpty else { return .rejected("type") }

        var value = 0.0
        var longDecimal = false
        var integerZero = false
        if let n = d["value"] as? NSNumber, !isBool(n) {
            value = n.doubleValue
            if n is NSDecimalNumber {
                value = Double(n.stringValue) ?? value
                longDecimal = n.stringValue.filter(\.isNumber).count >= 38
            }
            integerZero = value == 0 && !"df".contains(String(cString: n.objCType))
            if !value.isFinite { return .rejected("value range") }
        } else if let s = d["value"] as? String {
            switch s {
            case "NaN": value = .nan
            case "Inf", "+Inf": value = .infinity
            case "-Inf": value = -.infinity
            default: return .rejected("value string")
            }
        } else {
            return .rejected("value")
        }

        let timestamp: Timestamp
        if let n = d["timestamp"] as? NSNumber, !isBool(n) {
            guard let t = numericTimestamp(n) else { return .rejected("timestamp range") }
            timestamp = t
        } else if let s = d["timestamp"] as? String {
            guard let t = rfc3339(s) else { return .rejected("timestamp string") }
            timestamp = t
        } else {
            return .rejected("timestamp")
        }

        var tags: [String: Tag] = [:]
        if let t = d["tags"], !(t is NSNull) {
            guard let dict = t as? [String: Any] else { return .rejected("tags") }
            for (k, v) in dict {
                if k.isEmpty || k == "service" || k == "__name__" { return .rejected("tag name") }
                if let s = v as? String {
                    tags[k] = .text(s)
                } else if let n = v as? NSNumber {
                    tags[k] = isBool(n) ? .text(n.boolValue ? "true" : "false") : .number(n.doubleValue)
                } else {
                    return .rejected("tag value")
                }
            }
        }
        return .accepted(
            Event(
                service: service, type: type, value: value, valueIsLongDecimal: longDecimal,
                valueIsIntegerZero: integerZero, timestamp: timestamp, tags: tags))
    }

    /// Unit by magnitude and floor to ms, in Foundation's Decimal arithmetic.
    static func numericTimestamp(_ n: NSNumber) -> Timestamp? {
        let objCType = String(cString: n.objCType)
        let text: String
        var approximate = false
        if n is NSDecimalNumber {
            text = n.stringValue
            approximate = true
        } else if objCType == "d" || objCType == "f" {
            text = n.doubleValue.description
            approximate = text.filter(\.isNumber).count > 15  // shortest form may differ from the input
        } else {
            text = n.stringValue
        }
        guard var x = Decimal(string: text) else { return n.doubleValue.magnitude >= 1e20 ? nil : .unknown }
        let m = x.magnitude
        func pow10(_ e: Int) -> Decimal { Decimal(sign: .plus, exponent: e, significand: 1) }
        let scale = m < pow10(11) ? pow10(3) : m < pow10(14) ? pow10(0) : m < pow10(17) ? pow10(-3) : pow10(-6)
        x *= scale
        var floored = Decimal()
        NSDecimalRound(&floored, &x, 0, .down)
        guard floored >= Decimal(Int64.min), floored <= Decimal(Int64.max) else { return nil }
        let ms = NSDecimalNumber(decimal: floored).int64Value
        return approximate ? .approximate(ms) : .exact(ms)
    }

    /// RFC 3339 through Foundation's Calendar (independent of the parser's day arithmetic).
    static func rfc3339(_ s: String) -> Timestamp? {
        let c = Array(s.utf8)
        func num(_ r: Range<Int>) -> Int? {
            guard r.upperBound <= c.count, r.allSatisfy({ c[$0] >= 48 && c[$0] <= 57 }) else { return nil }
            return Int(String(decoding: c[r], as: UTF8.self))
        }
        guard c.count >= 20, let year = num(0..<4), c[4] == 45, let month = num(5..<7), c[7] == 45,
            let day = num(8..<10), [84, 116, 32].contains(c[10]), let hour = num(11..<13), c[13] == 58,
            let minute = num(14..<16), c[16] == 58, let second = num(17..<19)
        else { return nil }
        var i = 19
        var fraction = ""
        if c[i] == 46 {
            i += 1
            while i < c.count && c[i] >= 48 && c[i] <= 57 {
                fraction.append(Character(UnicodeScalar(c[i])))
                i += 1
            }
            if fraction.isEmpty { return nil }
        }
        guard i < c.count else { return nil }
        var offset = 0
        if c[i] == 90 || c[i] == 122 {
            i += 1
        } else if c[i] == 43 || c[i] == 45 {
            guard let oh = num(i + 1..<i + 3), i + 3 < c.count, c[i + 3] == 58, let om = num(i + 4..<i + 6), oh < 24, om < 60 else {
                return nil
            }
            offset = (oh * 60 + om) * 60 * (c[i] == 45 ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == c.count, hour < 24, minute < 60, second < 60 else { return nil }
        if year < 1583 { return .unknown }  // Foundation's Gregorian calendar turns Julian before 1582
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let comps = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = cal.date(from: comps), cal.component(.day, from: date) == day,
            cal.component(.month, from: date) == month
        else { return nil }
        let millis = Int64((fraction + "000").prefix(3)) ?? 0
        return .exact((Int64(date.timeIntervalSince1970) - Int64(offset)) * 1000 + millis)
    }
}
