import TSDB

/// The pipelined commands for one mirror batch: per series one LPUSH of all its new samples
/// (oldest first, so the list reads newest first), LTRIM, EXPIRE and a SET of the newest;
/// per service one LPUSH of its health documents and an LTRIM.
struct MirrorCommands {
    private(set) var commands: [[RedisArgument]] = []
    /// Keys these commands write: each series list and latest key, each health list.
    var keysWritten: Int { commands.lazy.filter { $0.first == "LPUSH" || $0.first == "SET" }.count }

    private struct SeriesKey: Hashable {
        var service: String
        var type: String
    }

    init(batch: [MetricEvent], health: [(service: String, json: String)], config: RedisMirror.Config, replaceLists: Bool) {
        // Group by series in first-seen order; each group sorted by time (stable).
        var slots: [SeriesKey: Int] = [:]
        var keys: [SeriesKey] = []
        var groups: [[Int]] = []
        for (i, event) in batch.enumerated() {
            let key = SeriesKey(service: event.labels.serviceName, type: event.labels.metricType)
            if let slot = slots[key] {
                groups[slot].append(i)
            } else {
                slots[key] = groups.count
                keys.append(key)
                groups.append([i])
            }
        }

        // All JSON goes into one buffer; arguments are slices of it (no per-sample array).
        var json: [UInt8] = []
        json.reserveCapacity(batch.count * 100)
        var bounds: [Int] = [0]
        var groupEnds: [Int] = []
        for var group in groups {
            group.sort { (batch[$0].timestamp, $0) < (batch[$1].timestamp, $1) }
            for i in group.suffix(config.listLength) {  // older ones would be trimmed anyway
                EventWriter.appendLine(batch[i], to: &json)
                json.removeLast()  // the trailing newline
                bounds.append(json.count)
            }
            groupEnds.append(bounds.count - 1)
        }

        let ttl = RedisArgument.integer(Int64(config.ttlSeconds))
        let lastIndex = RedisArgument.integer(Int64(config.listLength - 1))
        var start = 0
        for (key, end) in zip(keys, groupEnds) {
            let list = RedisArgument.string(RedisMirror.listKey(service: key.service, type: key.type))
            if replaceLists { commands.append(["DEL", list]) }
            var push: [RedisArgument] = ["LPUSH", list]
            push.reserveCapacity(2 + end - start)
            for k in start..<end { push.append(.bytes(json[bounds[k]..<bounds[k + 1]])) }
            commands.append(push)
            commands.append(["LTRIM", list, 0, lastIndex])
            commands.append(["EXPIRE", list, ttl])
            let newest = json[bounds[end - 1]..<bounds[end]]
            commands.append(["SET", .string(RedisMirror.latestKey(service: key.service, type: key.type)), .bytes(newest), "EX", ttl])
            start = end
        }

        var healthSlots: [String: Int] = [:]
        var healthPushes: [[RedisArgument]] = []
        for entry in health {
            if let slot = healthSlots[entry.service] {
                healthPushes[slot].append(.string(entry.json))
            } else {
                healthSlots[entry.service] = healthPushes.count
                healthPushes.append(["LPUSH", .string(RedisMirror.healthKey(service: entry.service)), .string(entry.json)])
            }
        }
        let healthLast = RedisArgument.integer(Int64(config.healthLength - 1))
        for push in healthPushes {
            commands.append(push)
            commands.append(["LTRIM", push[1], 0, healthLast])
        }
    }
}
