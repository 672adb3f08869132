import Foundation
import Testing

@testable import TSDB

/// Issue 11, item 3: writers enforce `LabelLimits`, and every reader accepts whatever they let
/// through, so one hostile event can no longer make a store unreadable.
@Suite struct LabelLimitsTests {
    /// The largest series the limits allow: `maxLabels` labels, one value at `maxValueBytes`,
    /// names at `maxNameBytes`, and the total just inside `maxTotalBytes`.
    static func largestSeries() -> Labels {
        var pairs = [Label(Labels.metricName, "queue_depth"), Label(Labels.service, "svc")]
        pairs.append(Label("big", String(repeating: "v", count: LabelLimits.maxValueBytes)))
        var total = pairs.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count }
        var i = 0
        while pairs.count < LabelLimits.maxLabels {
            let name = String(format: "n%03d", i) + String(repeating: "x", count: LabelLimits.maxNameBytes - 4)
            let room =
                LabelLimits.maxTotalBytes - total - name.utf8.count - (LabelLimits.maxLabels - pairs.count - 1)
                * (LabelLimits.maxNameBytes + 1)
            let value = String(repeating: "w", count: max(1, min(64, room)))
            pairs.append(Label(name, value))
            total += name.utf8.count + value.utf8.count
            i += 1
        }
        let labels = Labels(pairs)
        return labels
    }

    @Test func theLargestAllowedSeriesRoundTripsThroughEveryReader() throws {
        let big = Self.largestSeries()
        #expect(big.pairs.count == LabelLimits.maxLabels)
        #expect(LabelLimits.violation(big) == nil)
        #expect(big.pairs.contains { $0.name.utf8.count == LabelLimits.maxNameBytes })
        #expect(big.pairs.contains { $0.value.utf8.count == LabelLimits.maxValueBytes })
        let dir = TempDirectory()
        var options = StoreOptions()
        options.blockDuration = StoreOptions.hour
        do {
            let store = try Store(directory: dir.store, options: options)
            var batch = WriteBatch()
            for i in 0..<10 { batch.append(big, Int64(i) * 1000, Double(i)) }
            #expect(try store.append(batch).accepted == 10)
            try store.close()
        }
        do {  // WAL replay
            let store = try Store(directory: dir.store, options: options)
            #expect(store.openReport.wal.corruption == nil)
            #expect(try store.all(big).count == 10)
            try store.flush()  // block index and checkpoint
            try store.close()
        }
        let store = try Store(directory: dir.store, options: options)
        #expect(store.openReport.corruptBlocks.isEmpty && store.openReport.corruptCheckpoint == nil)
        #expect(try store.all(big).values == (0..<10).map(Double.init))
        #expect(store.verify().isClean)
    }

    static let violations: [(String, Labels, RejectionReason)] = {
        let base = [Label(Labels.metricName, "queue_depth"), Label(Labels.service, "svc")]
        let many = base + (0..<LabelLimits.maxLabels - 1).map { Label("t\($0)", "v") }
        let longName = base + [Label(String(repeating: "n", count: LabelLimits.maxNameBytes + 1), "v")]
        let longValue = base + [Label("k", String(repeating: "v", count: 70_000))]
        let large = base + (0..<8).map { Label("k\($0)", String(repeating: "v", count: LabelLimits.maxValueBytes / 2)) }
        return [
            ("too many labels", Labels(many), .tooManyLabels),
            ("long name", Labels(longName), .labelNameTooLong),
            ("70 KB value", Labels(longValue), .labelValueTooLong),
            ("too many bytes", Labels(large), .labelsTooLarge),
        ]
    }()

    @Test(arguments: 0..<violations.count)
    func seriesOverTheLimitsAreRejectedAndTheStoreStaysReadable(index: Int) throws {
        let (_, bad, reason) = Self.violations[index]
        #expect(LabelLimits.violation(bad)?.rejection == reason)
        let dir = TempDirectory()
        let good = labels("queue_depth")
        do {
            let store = try Store(directory: dir.store)
            var batch = WriteBatch()
            for i in 0..<101 { batch.append(i == 50 ? bad : good, Int64(i) * 1000, Double(i)) }
            let r = try store.append(batch)
            #expect(r.accepted == 100)
            #expect(r.rejected == [reason: 1])
            #expect(r.rejections.map(\.index) == [50])
            #expect(throws: StoreError.self) { try store.seriesRef(for: bad) }
            try store.close()
        }
        let store = try Store(directory: dir.store)
        #expect(store.openReport.wal.corruption == nil)
        #expect(try store.all(good).count == 100)
    }

    /// The reproduction from the issue: `tsdb import` of 100 good events and one with a 70 KB tag.
    @Test func importRejectsAHugeTagAndKeepsEverythingElse() throws {
        let dir = TempDirectory()
        do {
            let store = try Store(directory: dir.store)
            let importer = EventImporter(store: store)
            for i in 0..<101 {
                let tag = i == 7 ? String(repeating: "x", count: 70_000) : "a"
                let line = Array(
                    "{\"service\":\"s\",\"type\":\"t\",\"value\":\(i),\"timestamp\":\(1_000_000 + i),\"tags\":{\"k\":\"\(tag)\"}}".utf8)
                let error = line.withUnsafeBytes { importer.add($0) }
                #expect((error == nil) == (i != 7))
                if let error { #expect(error.reason == "label_value_too_long") }
            }
            let many = (0..<1100).map { "\"k\($0)\":\"v\"" }.joined(separator: ",")
            let line = Array("{\"service\":\"s\",\"type\":\"t\",\"value\":1,\"timestamp\":2000000,\"tags\":{\(many)}}".utf8)
            #expect(line.withUnsafeBytes { importer.add($0) }?.reason == "too_many_labels")
            try importer.finish()
            try store.close()
        }
        let store = try Store(directory: dir.store)
        #expect(try store.all(Labels(type: "t", service: "s", tags: ["k": "a"])).count == 100)
        #expect(store.verify().isClean)
    }

    /// Readers decode with the writers' constants: a label one byte over the limit, written
    /// behind the writer's back, is refused by the decoder with a clear reason.
    @Test func readersUseTheWritersConstants() throws {
        var w = ByteWriter()
        w.writeLabels(Labels([Label("k", String(repeating: "v", count: LabelLimits.maxValueBytes + 1))]))
        let bytes = w.bytes
        let outcome = bytes.withUnsafeBytes { raw in
            Result { () throws(DecodeError) -> Labels in
                var r = ByteReader(raw)
                return try r.readLabels()
            }
        }
        guard case .failure(let e) = outcome else {
            Issue.record("decoded labels over the limit")
            return
        }
        #expect(e.reason.contains("\(LabelLimits.maxValueBytes)"))
    }
}
