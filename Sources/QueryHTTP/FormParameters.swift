/// Parameters of a request: the URL query string and an `application/x-www-form-urlencoded`
/// body, merged as Go's `Request.ParseForm` does (body values first).
public struct FormParameters: Sendable {
    public private(set) var pairs: [(name: String, value: String)] = []

    public init() {}

    /// Parses `a=1&b=x%20y&match[]=...`; malformed escapes are kept literally, never trap.
    public init(encoded: some Collection<UInt8>) {
        append(encoded: encoded)
    }

    public mutating func append(encoded: some Collection<UInt8>) {
        for part in encoded.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            if let eq = part.firstIndex(of: UInt8(ascii: "=")) {
                pairs.append((FormParameters.decode(part[..<eq]), FormParameters.decode(part[part.index(after: eq)...])))
            } else {
                pairs.append((FormParameters.decode(part), ""))
            }
        }
    }

    /// The first value of `name`.
    public subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// Every value of `name`, in order (e.g. repeated `match[]`).
    public func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    /// Percent-decoding with `+` as space; invalid UTF-8 becomes U+FFFD.
    static func decode(_ bytes: some Collection<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i != bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if b == UInt8(ascii: "%") {
                let h1 = bytes.index(after: i)
                if h1 != bytes.endIndex, bytes.index(after: h1) != bytes.endIndex,
                    let hi = hexValue(bytes[h1]), let lo = hexValue(bytes[bytes.index(after: h1)])
                {
                    out.append(hi << 4 | lo)
                    i = bytes.index(after: bytes.index(after: h1))
                    continue
                }
                out.append(b)
            } else {
                out.append(b)
            }
            i = bytes.index(after: i)
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }
}
