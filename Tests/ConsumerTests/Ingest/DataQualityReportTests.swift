import Foundation
import TSDB
import Testing

@testable import Consumer

struct DataQualityReportTests {
    private func event(_ service: String, _ ts: Int64) -> MetricEvent {
        MetricEvent(labels: Labels(type: "x", service: service), timestamp: ts, value: 1)
    }

    @Test func handComputedFigures() throws {
        let config = DataQualityConfig(
            lateThresholdMs: 60_000, expectedServices: ["api", "db", "cache"], silentAfterMs: 300_000, latenessWindow: 100)
        var r = DataQualityReport(config: config, startedAt: 0)
        // Lateness (ingest - event): 0 (future clamps to 0), 10, 20, ..., 90 s for api; 120 s for db.
        r.recordAccepted(event("api", 1_000_500), ingestTime: 1_000_000)
        for i in 1...9 { r.recordAccepted(event("api", 1_000_000 - Int64(i) * 10_000), ingestTime: 1_000_000) }
        r.recordAccepted(event("db", 880_000), ingestTime: 1_000_000)
        r.recordRejected(.outOfRange(type: "cpu_percent", value: 120, min: 0, max: 100))
        r.recordRejected(.outOfRange(type: "cpu_percent", value: -1, min: 0, max: 100))
        r.recordRejected(.outOfRange(type: "hit_ratio", value: 2, min: 0, max: 1))
        r.recordRejected(.event(.missingField("timestamp"), line: 0))
        r.recordRejected(.nonFinite(type: "x", value: .nan))
        var m = DecodedMessage()
        m.missingTimestamps = 2
        m.skippedStringFields = 3
        m.rejections = [.emptyMessage]
        r.record(m, ingestTime: 1_000_000)

        #expect(r.valid == 11)
        #expect(r.rejected == 6)
        #expect(r.total == 17)
        #expect(r.rejectedByReason == ["out_of_range": 3, "missing_field": 1, "non_finite": 1, "empty_message": 1])
        #expect(r.outOfRangeByType == ["cpu_percent": 2, "hit_ratio": 1])
        #expect(r.missingTimestamps == 3)
        #expect(r.skippedStringFields == 3)
        // Late (> 60 s): 70, 80, 90 s (api) and 120 s (db).
        #expect(r.lateEvents == 4)
        // Sorted lateness: 0,10,20,...,90,120 s (11 values); nearest rank p50 = 6th = 50 s, p99 = 11th = 120 s.
        #expect(r.latenessPercentile(0.5) == 50_000)
        #expect(r.latenessPercentile(0.99) == 120_000)
        #expect(r.latenessPercentile(0) == 0)
        #expect(r.services == ["api": .init(lastSeen: 1_000_000, events: 10), "db": .init(lastSeen: 1_000_000, events: 1)])
        // At 1 300 001 ms api and db were last seen 300 001 ms ago; cache never (since 0).
        #expect(r.silentServices(now: 1_300_000) == ["cache"])
        #expect(r.silentServices(now: 1_300_001) == ["api", "cache", "db"])

        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.json(now: 1_300_000))) as? [String: Any])
        #expect(object["total"] as? Int == 17)
        #expect(object["valid"] as? Int == 11)
        #expect(
            object["rejected_by_reason"] as? [String: Int] == ["out_of_range": 3, "missing_field": 1, "non_finite": 1, "empty_message": 1])
        #expect(object["out_of_range_by_type"] as? [String: Int] == ["cpu_percent": 2, "hit_ratio": 1])
        #expect(object["missing_timestamps"] as? Int == 3)
        #expect(object["late_events"] as? Int == 4)
        let lateness = try #require(object["lateness_ms"] as? [String: Int])
        #expect(lateness == ["p50": 50_000, "p99": 120_000, "max": 120_000, "window": 11])
        let services = try #require(object["services"] as? [String: [String: Int]])
        #expect(services["api"] == ["last_seen_ms": 1_000_000, "events": 10])
        #expect(object["silent_services"] as? [String] == ["cache"])
    }

    @Test func latenessWindowKeepsTheLatest() {
        var r = DataQualityReport(config: DataQualityConfig(latenessWindow: 3), startedAt: 0)
        for late in [1000, 1, 2, 3, 4] as [Int64] { r.recordAccepted(event("s", 10_000 - late), ingestTime: 10_000) }
        #expect(r.latenessPercentile(1) == 4)
        #expect(r.latenessPercentile(0.5) == 3)
        r.recordAccepted(event("s", Int64.min), ingestTime: Int64.max)
        #expect(r.latenessPercentile(1) == Int64.max)
    }

    @Test func emptyReportIsValidJSON() throws {
        let r = DataQualityReport(startedAt: 5)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.json(now: 6))) as? [String: Any])
        #expect(object["total"] as? Int == 0)
        #expect(
            object["lateness_ms"] as? [String: NSObject] == [
                "p50": NSNull(), "p99": NSNull(), "max": NSNull(), "window": NSNumber(value: 0),
            ])
    }
}
