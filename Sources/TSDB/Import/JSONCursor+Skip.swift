extension JSONCursor {
    /// Validates and steps over any JSON value at `pos` (after whitespace). Iterative, so
    /// hostile nesting cannot overflow the stack.
    mutating func skipValue() throws(EventParseError) {
        var stack: [UInt8] = []  // open brackets; allocates only for nested containers
        var afterComma = false
        while true {
            // Expecting a value.
            skipWhitespace()
            switch current {
            case 0x7B, 0x5B:
                let open = current
                pos += 1
                skipWhitespace()
                if current == open &+ 2 {  // '}' == '{' + 2, ']' == '[' + 2
                    pos += 1
                } else {
                    guard stack.count < InputLimits.maxJSONDepth else { throw fail(pos, "nesting too deep") }
                    stack.append(open)
                    afterComma = false
                    if open == 0x7B { try scanMemberKey() }
                    continue
                }
            case 0x22: _ = try scanString()
            case 0x2D, 0x30...0x39:
                let n = try scanNumber()
                if n.overflowsDouble(base) { throw fail(n.start, "number out of range") }
            case 0x74: try scanLiteral("true")
            case 0x66: try scanLiteral("false")
            case 0x6E: try scanLiteral("null")
            default: throw fail(pos, afterComma && current == 0x5D ? "trailing comma" : "expected a value")
            }
            // After a value: close containers or move to the next element.
            while true {
                guard let top = stack.last else { return }
                skipWhitespace()
                let c = current
                if c == 0x2C {
                    pos += 1
                    if top == 0x7B { try scanMemberKey() }
                    afterComma = true
                    break
                } else if c == top &+ 2 {
                    pos += 1
                    stack.removeLast()
                } else {
                    throw fail(pos, top == 0x7B ? "expected ',' or '}'" : "expected ',' or ']'")
                }
            }
        }
    }

    /// Scans `"key" :` inside an object (after whitespace), leaving `pos` after the colon.
    mutating func scanMemberKey() throws(EventParseError) {
        skipWhitespace()
        guard current == 0x22 else {
            throw fail(pos, current == 0x7D ? "trailing comma" : "expected a string key")
        }
        _ = try scanString()
        try expectColon()
    }

    /// Skips whitespace, a ':' and whitespace.
    @inline(__always) mutating func expectColon() throws(EventParseError) {
        skipWhitespace()
        guard current == 0x3A else { throw fail(pos, "expected ':'") }
        pos += 1
        skipWhitespace()
    }
}
