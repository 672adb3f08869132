import Foundation

/// A parsed `redis://[[user]:password@]host[:port][/db]` URL (the user is accepted and ignored).
public struct RedisURL: Sendable, Equatable {
    public static let defaultPort = 6379

    public var host: String
    public var port: Int
    public var password: String?
    public var database: Int

    /// A URL's parts; defaults as for an empty port and path.
    public init(host: String, port: Int = RedisURL.defaultPort, password: String? = nil, database: Int = 0) {
        self.host = host
        self.port = port
        self.password = password
        self.database = database
    }

    /// Parses `text`; the password may be percent-encoded (`%40` for `@`).
    public init(parsing text: String) throws(RedisURLError) {
        func fail(_ reason: String) -> RedisURLError { RedisURLError(url: RedisURLError.redacted(text), reason: reason) }
        let scheme = "redis://"
        guard text.hasPrefix(scheme) else {
            if text.hasPrefix("rediss://") { throw fail("TLS (rediss://) is not supported") }
            throw fail("must start with redis://")
        }
        var rest = Substring(text.dropFirst(scheme.count))
        if rest.contains("?") || rest.contains("#") { throw fail("query parameters and fragments are not supported") }

        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                let raw = userInfo[userInfo.index(after: colon)...]
                guard let decoded = String(raw).removingPercentEncoding else { throw fail("password has a bad %-escape") }
                password = decoded.isEmpty ? nil : decoded
            }
        }

        let authority: Substring
        let path: Substring
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = rest[rest.index(after: slash)...]
        } else {
            authority = rest
            path = ""
        }

        let host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw fail("unterminated [IPv6] host") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw fail("junk after ]") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw fail("missing host") }

        var port = Self.defaultPort
        if let portText {
            guard let p = Self.decimal(portText, max: 65535), p > 0 else { throw fail("port must be 1...65535, got '\(portText)'") }
            port = p
        }
        var database = 0
        if !path.isEmpty {
            guard let db = Self.decimal(path, max: 1_000_000) else { throw fail("database must be a number, got '\(path)'") }
            database = db
        }
        self.init(host: String(host), port: port, password: password, database: database)
    }

    /// Plain ASCII digits only (no sign, no spaces), at most `max`.
    private static func decimal(_ s: Substring, max: Int) -> Int? {
        guard !s.isEmpty, s.count <= 7, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let v = Int(s), v <= max else { return nil }
        return v
    }
}

/// A malformed Redis URL: the URL (password masked) and what is wrong with it.
public struct RedisURLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var url: String
    public var reason: String

    public var description: String { "invalid Redis URL '\(url)': \(reason) (expected redis://[:password@]host:port/db)" }

    /// The URL with everything between `://` and the last `@` masked, so logs never show a password.
    static func redacted(_ text: String) -> String {
        guard let start = text.range(of: "://"), let at = text.lastIndex(of: "@"), at > start.upperBound else { return text }
        return String(text[..<start.upperBound]) + "***" + String(text[at...])
    }
}
