import CRE2

/// A compiled RE2 regex (the only Swift file that calls the CRE2 shim). Full matches only, as
/// Prometheus anchors label regexes at both ends; matching takes time linear in the input, so
/// no pattern can backtrack for seconds. `.` matches newlines, as in Prometheus 3.
final class RE2Regex: @unchecked Sendable {
    // Immutable after init; RE2 matching is thread-safe on a const object.
    private let handle: OpaquePointer

    /// Compiles `pattern`; throws RE2's own message for a bad one.
    init(_ pattern: String) throws(RE2Error) {
        var error = [CChar](repeating: 0, count: 256)
        var pattern = pattern
        let compiled = pattern.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { p in cre2_compile(p.baseAddress, p.count, &error, error.count) }
        }
        guard let compiled else {
            let message = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw RE2Error(pattern: pattern, message: message)
        }
        handle = compiled
    }

    deinit { cre2_free(handle) }

    /// True when the whole of `text` matches.
    func fullMatch(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { cre2_full_match(handle, $0.baseAddress, $0.count) != 0 }
        }
    }
}

/// A pattern RE2 refused.
struct RE2Error: Error, CustomStringConvertible {
    var pattern: String
    var message: String
    var description: String { "error parsing regexp: \(message): `\(pattern)`" }
}
