import Foundation

/// Generates valid event lines in many spellings (key orders, whitespace, escapes, number and
/// timestamp forms, extra keys) and mutates them, for the differential tests.
struct EventLineGenerator {
    var rng: EventsTestRNG

    mutating func whitespace() -> String {
        guard rng.chance(0.2) else { return "" }
        return String((0..<rng.int(1..<4)).map { _ in rng.pick([" ", "\t", "\r", "\n"] as [Character]) })
    }

    /// Random text from several Unicode ranges, including characters that need escaping.
    mutating func text(nonEmpty: Bool = true) -> String {
        let pools: [ClosedRange<UInt32>] = [
            0x61...0x7A, 0x30...0x39, 0x20...0x7E, 0x00...0x1F, 0xA0...0x17F,
            0x300...0x36F, 0x4E00...0x4E80, 0x1F600...0x1F64F, 0xE000...0xE010,
        ]
        let n = rng.int(nonEmpty ? 1..<10 : 0..<10)
        var s = ""
        for _ in 0..<n {
            let pool = rng.chance(0.6) ? pools[0] : rng.pick(pools)
            if let u = Unicode.Scalar(UInt32.random(in: pool, using: &rng)) { s.unicodeScalars.append(u) }
        }
        return s.isEmpty && nonEmpty ? "x" : s
    }

    /// A JSON string literal for `s`, escaping what must be and some of what may be.
    mutating func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += rng.chance(0.5) ? "\\n" : "\\u000a"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "/" where rng.chance(0.5): out += "\\/"
            default:
                if u.value < 0x20 || rng.chance(0.08) {
                    for unit in String(u).utf16 { out += "\\u" + hex4(unit, upper: rng.chance(0.5)) }
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    private func hex4(_ v: UInt16, upper: Bool) -> String {
        let h = String(v, radix: 16, uppercase: upper)
        return String(repeating: "0", count: 4 - h.count) + h
    }

    mutating func value() -> String {
        switch rng.int(0..<10) {
        case 0: return String(rng.int(-1_000_000..<1_000_000))
        case 1: return "\(rng.int(-999..<1000)).\(rng.int(0..<100_000))"
        case 2: return "\(rng.int(1..<10)).\(rng.int(0..<1000))\(rng.pick(["e", "E"]))\(rng.pick(["", "+", "-"]))\(rng.int(0..<30))"
        case 3:
            return rng.pick(["-0", "0", "-0.0", "0e5", "1e-400", "1.8e308", "-1e309", "9007199254740993", "123456789012345678901234567890"])
        case 4: return rng.pick(["\"NaN\"", "\"Inf\"", "\"+Inf\"", "\"-Inf\"", "\"inf\"", "\"1\""])
        case 5: return "0.\(rng.int(0..<1_000_000_000))\(rng.int(0..<1_000_000_000))"
        default:
            let d = Double(bitPattern: rng.next())
            return d.isFinite ? d.description : "1.5"
        }
    }

    mutating func timestamp() -> String {
        let seconds = rng.int(1_500_000_000..<1_900_000_000)
        switch rng.int(0..<9) {
        case 0: return String(seconds)
        case 1: return "\(seconds).\(rng.int(0..<1_000_000))"
        case 2: return String(seconds * 1000 + rng.int(0..<1000))
        case 3: return String(seconds * 1_000_000 + rng.int(0..<1_000_000))
        case 4: return String(seconds * 1_000_000_000 + rng.int(0..<1_000_000_000))
        case 5: return rng.pick(["-1.5", "-0.0005", "0", "-1764420000123456789", "1e30", "1.764420000123e12"])
        default:
            let y = rng.int(1970..<2100)
            let mo = rng.int(1..<13)
            let d = rng.int(1..<29)
            var s =
                "\(y)-\(two(mo))-\(two(d))\(rng.pick(["T", "t", " "]))\(two(rng.int(0..<24))):\(two(rng.int(0..<60))):\(two(rng.int(0..<60)))"
            if rng.chance(0.6) { s += "." + String((0..<rng.int(1..<10)).map { _ in Character(String(rng.int(0..<10))) }) }
            s += rng.chance(0.5) ? rng.pick(["Z", "z"]) : "\(rng.pick(["+", "-"]))\(two(rng.int(0..<24))):\(two(rng.int(0..<60)))"
            return "\"" + s + "\""
        }
    }

    private func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    mutating func anyValue(depth: Int = 0) -> String {
        switch rng.int(0..<(depth < 3 ? 8 : 6)) {
        case 0: return quoted(text(nonEmpty: false))
        case 1: return value().replacingOccurrences(of: "\"", with: "")
        case 2: return "true"
        case 3: return "false"
        case 4: return "null"
        case 5: return String(rng.int(-5..<5))
        case 6:
            return "[" + (0..<rng.int(0..<4)).map { _ in whitespace() + anyValue(depth: depth + 1) + whitespace() }.joined(separator: ",")
                + "]"
        default:
            let keys = Set((0..<rng.int(0..<4)).map { _ in text() })
            return "{" + keys.map { quoted($0) + whitespace() + ":" + whitespace() + anyValue(depth: depth + 1) }.joined(separator: ",")
                + "}"
        }
    }

    mutating func tags() -> String {
        switch rng.int(0..<10) {
        case 0: return "null"
        case 1: return "{}"
        default:
            var members: [String] = []
            for _ in 0..<rng.int(1..<5) {
                let v: String
                switch rng.int(0..<8) {
                case 0: v = String(rng.int(-500..<1000))
                case 1: v = rng.pick(["true", "false", "2.50", "1E2", "-0"])
                case 2: v = "\"\""
                default: v = quoted(text())
                }
                members.append(quoted(text()) + whitespace() + ":" + whitespace() + v)
            }
            return "{" + whitespace() + members.joined(separator: "," + whitespace()) + whitespace() + "}"
        }
    }

    /// One line; fields in random order, sometimes with extra keys.
    mutating func line() -> String {
        var members = [
            "\"service\"" + whitespace() + ":" + whitespace() + quoted(text()),
            "\"type\"" + whitespace() + ":" + whitespace() + quoted(text()),
            "\"value\"" + whitespace() + ":" + whitespace() + value(),
            "\"timestamp\"" + whitespace() + ":" + whitespace() + timestamp(),
        ]
        if rng.chance(0.7) { members.append("\"tags\"" + whitespace() + ":" + whitespace() + tags()) }
        for name in ["extra", "meta", "id"] where rng.chance(0.15) {
            members.append(quoted(name) + ":" + whitespace() + anyValue())
        }
        members.shuffle(using: &rng)
        return whitespace() + "{" + whitespace() + members.joined(separator: whitespace() + "," + whitespace()) + whitespace() + "}"
            + whitespace()
    }

    /// 1-3 byte-level edits: delete, insert, replace, flip a bit, duplicate a slice.
    mutating func mutate(_ line: [UInt8]) -> [UInt8] {
        var b = line
        let interesting: [UInt8] =
            Array("{}[]\",:\\/ 0123456789-+.eEtfnu\t\r\n".utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xE2, 0xED, 0xF0, 0xFF]
        for _ in 0..<rng.int(1..<4) {
            let at = rng.int(0..<(b.count + 1))
            switch rng.int(0..<5) {
            case 0 where at < b.count: b.remove(at: at)
            case 1: b.insert(rng.chance(0.8) ? rng.pick(interesting) : UInt8.random(in: 0...255, using: &rng), at: at)
            case 2 where at < b.count: b[at] = rng.pick(interesting)
            case 3 where at < b.count: b[at] ^= UInt8(1) << UInt8(rng.int(0..<8))
            default:
                let len = rng.int(0..<8)
                if at + len <= b.count { b.insert(contentsOf: b[at..<(at + len)], at: at) }
            }
        }
        return b
    }
}
