import Testing

@testable import Consumer

struct RedisURLTests {
    @Test(arguments: [
        ("redis://localhost", RedisURL(host: "localhost")),
        ("redis://127.0.0.1:6380", RedisURL(host: "127.0.0.1", port: 6380)),
        ("redis://127.0.0.1:6380/", RedisURL(host: "127.0.0.1", port: 6380)),
        ("redis://cache:7000/3", RedisURL(host: "cache", port: 7000, database: 3)),
        ("redis://:s3cret@cache:6379/2", RedisURL(host: "cache", password: "s3cret", database: 2)),
        ("redis://default:s3cret@cache/1", RedisURL(host: "cache", password: "s3cret", database: 1)),
        ("redis://user@cache", RedisURL(host: "cache")),
        ("redis://:p%40ss:word@h:1", RedisURL(host: "h", port: 1, password: "p@ss:word")),
        ("redis://:a@b@h", RedisURL(host: "h", password: "a@b")),
        ("redis://[::1]:6390/4", RedisURL(host: "::1", port: 6390, database: 4)),
        ("redis://[::1]", RedisURL(host: "::1")),
        ("redis://:@h", RedisURL(host: "h")),
    ])
    func parses(text: String, expected: RedisURL) throws {
        #expect(try RedisURL(parsing: text) == expected)
    }

    @Test(arguments: [
        ("http://h:6379", "must start with redis://"),
        ("rediss://h", "TLS"),
        ("redis://", "missing host"),
        ("redis://:pw@:6379", "missing host"),
        ("redis://h:0", "port"),
        ("redis://h:65536", "port"),
        ("redis://h:-1", "port"),
        ("redis://h:abc", "port"),
        ("redis://h:", "port"),
        ("redis://h/x", "database"),
        ("redis://h/1/2", "database"),
        ("redis://h/-1", "database"),
        ("redis://h?db=1", "query"),
        ("redis://[::1", "IPv6"),
        ("redis://[::1]x", "junk"),
        ("redis://:%zz@h", "%-escape"),
    ])
    func rejects(text: String, reasonFragment: String) {
        #expect {
            try RedisURL(parsing: text)
        } throws: { error in
            guard let e = error as? RedisURLError else { return false }
            return e.reason.contains(reasonFragment) && e.description.contains("redis://")
        }
    }

    @Test func errorMasksPassword() {
        let e = RedisURLError(url: RedisURLError.redacted("redis://:hunter2@h:x"), reason: "port")
        #expect(!e.description.contains("hunter2"))
        #expect(e.url == "redis://***@h:x")
    }

    @Test func optionsFromURL() throws {
        let o = RedisOptions(url: try RedisURL(parsing: "redis://:pw@cache:7001/5"))
        #expect(o.host == "cache" && o.port == 7001 && o.password == "pw" && o.database == 5)
        #expect(o.endpoint == "cache:7001")
    }
}
