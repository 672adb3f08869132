import Alerting
import Consumer

/// Pushes every notification's JSON onto the capped Redis list `metrics:alerts` (newest first),
/// next to the dashboards' other keys.
public struct RedisAlertNotifier: AlertNotifier {
    /// The list dashboards read alerts from.
    public static let key = "metrics:alerts"

    public let name = "redis"
    public let mirror: RedisMirror
    /// Notifications kept in the list.
    public let length: Int

    public init(mirror: RedisMirror, length: Int = 1000) {
        self.mirror = mirror
        self.length = max(1, length)
    }

    public func deliver(_ n: AlertNotification) async throws {
        let json = try [UInt8](n.jsonData())
        try mirror.execute([
            ["LPUSH", .string(Self.key), RedisArgument(json)], ["LTRIM", .string(Self.key), 0, .integer(Int64(length - 1))],
        ])
    }
}
