#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension JSONCursor {
    /// Appends the decoded UTF-8 of an already validated string span to `out`.
    func decode(_ span: JSONStringSpan, into out: inout [UInt8]) {
        if span.plain {
            out.append(contentsOf: UnsafeBufferPointer(start: base + span.start, count: span.count))
            return
        }
        var i = span.start
        while i < span.end {
            let c = base[i]
            guard c == 0x5C else {
                out.append(c)
                i += 1
                continue
            }
            let e = byte(i + 1)
            switch e {
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                let unit = hex4(i + 2) ?? 0xFFFD
                if unit >= 0xD800 && unit <= 0xDBFF {
                    let low = hex4(i + 8) ?? 0xDC00
                    JSONCursor.appendUTF8(0x10000 + ((unit - 0xD800) << 10) + (low &- 0xDC00), to: &out)
                    i += 12
                } else {
                    JSONCursor.appendUTF8(unit, to: &out)
                    i += 6
                }
                continue
            default: out.append(e)  // '"', '\\', '/'
            }
            i += 2
        }
    }

    /// The decoded string of a validated span.
    func string(_ span: JSONStringSpan, scratch: inout [UInt8]) -> String {
        if span.plain {
            return String(decoding: UnsafeBufferPointer(start: base + span.start, count: span.count), as: UTF8.self)
        }
        scratch.removeAll(keepingCapacity: true)
        decode(span, into: &scratch)
        return String(decoding: scratch, as: UTF8.self)
    }

    /// Does the decoded content of `span` equal `word`?
    func equals(_ span: JSONStringSpan, _ word: StaticString, scratch: inout [UInt8]) -> Bool {
        let w = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        if span.plain {
            return span.count == w.count && memcmp(base + span.start, word.utf8Start, w.count) == 0
        }
        scratch.removeAll(keepingCapacity: true)
        decode(span, into: &scratch)
        return scratch.elementsEqual(w)
    }

    static func appendUTF8(_ cp: UInt32, to out: inout [UInt8]) {
        switch cp {
        case 0..<0x80:
            out.append(UInt8(cp))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | cp >> 6))
            out.append(UInt8(0x80 | cp & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | cp >> 12))
            out.append(UInt8(0x80 | cp >> 6 & 0x3F))
            out.append(UInt8(0x80 | cp & 0x3F))
        default:
            out.append(UInt8(0xF0 | cp >> 18 & 0x07))
            out.append(UInt8(0x80 | cp >> 12 & 0x3F))
            out.append(UInt8(0x80 | cp >> 6 & 0x3F))
            out.append(UInt8(0x80 | cp & 0x3F))
        }
    }
}
