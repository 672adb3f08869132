import Foundation
import Testing

@testable import TSDB

/// The shared real corpus (`../shared/datasets/cloud-monitoring`, beside the repository):
/// imported as `tsdb import` does with retention 0, compacted, it reads back unchanged, in few
/// files and few bytes. Skipped (with a message) only where the corpus is not beside the clone.
@Suite struct RealCorpusTests {
    static let root: String = {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return repo.deletingLastPathComponent().appendingPathComponent("shared/datasets/cloud-monitoring/data").path
    }()

    /// JSON lines as the import format: service = domain, type = file name ('-' as '_').
    static func eventLines() throws -> [String] {
        var lines: [String] = []
        let fm = FileManager.default
        for domain in try fm.contentsOfDirectory(atPath: root).sorted() {
            let dir = root + "/" + domain
            for file in try fm.contentsOfDirectory(atPath: dir).sorted() where file.hasSuffix(".csv") {
                let type = String(file.dropLast(4)).replacingOccurrences(of: "-", with: "_")
                let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
                for row in text.split(whereSeparator: \.isNewline).dropFirst() {
                    let fields = row.split(separator: ",", omittingEmptySubsequences: false).map {
                        $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
                    }
                    guard fields.count >= 2 else { continue }
                    var ts = fields[0].replacingOccurrences(of: " ", with: "T")
                    if !ts.hasSuffix("Z") { ts += "Z" }
                    let value = fields[1].isEmpty ? "\"\"" : fields[1]
                    lines.append("{\"service\":\"\(domain)\",\"type\":\"\(type)\",\"value\":\(value),\"timestamp\":\"\(ts)\",\"tags\":{}}")
                }
            }
        }
        return lines
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: RealCorpusTests.root)))
    func importCompactExportIsIdenticalAndSmall() throws {
        let lines = try Self.eventLines()
        #expect(lines.count == 225_445)
        let dir = TempDirectory()
        var options = StoreOptions()
        options.retentionRaw = 0
        options.rollupRetention = [StoreOptions.minute: 0, StoreOptions.hour: 0]
        options.fsync = .never
        let store = try Store(directory: dir.store, options: options)
        let importer = EventImporter(store: store)
        var expected: [String: [(Int64, UInt64)]] = [:]
        var bad = 0
        let parser = EventParser()
        for line in lines {
            let bytes = Array(line.utf8)
            if bytes.withUnsafeBytes({ importer.add($0) }) != nil {
                bad += 1
                continue
            }
            let event = try parser.parse(line)
            expected[event.labels.description, default: []].append((event.timestamp, event.value.bitPattern))
        }
        try importer.finish()
        #expect(bad == 42, "the rows with an empty value are bad lines")
        try store.flush()
        _ = try store.compact()
        #expect(store.verify().isClean)
        var got: [String: [(Int64, UInt64)]] = [:]
        for info in store.select([]) {
            let c = try store.samples(info.ref)
            got[info.labels.description] = zip(c.timestamps, c.values.map(\.bitPattern)).map { ($0, $1) }
        }
        #expect(got.count == 60)
        for (series, samples) in expected {
            let sorted = samples.sorted { $0.0 < $1.0 }
            #expect(got[series]?.map(\.0) == sorted.map(\.0) && got[series]?.map(\.1) == sorted.map(\.1), "\(series)")
        }
        // The targets: at most 500 files, 3.0 raw bytes and 4.0 bytes on disk (as `du -sb`
        // counts: files and directories) per sample. VictoriaMetrics 1.79 takes 5.38 and 57 files.
        try store.close()
        let inventory = try Store(directory: dir.store, options: options).inventory()
        let samples = Double(inventory.samples)
        #expect(inventory.files <= 500, "\(inventory.files) files")
        #expect(Double(inventory.rawBytes) / samples <= 3.0, "raw \(Double(inventory.rawBytes) / samples) B/sample")
        var disk: Int64 = 0
        let walker = FileManager.default.enumerator(atPath: dir.store)
        while let name = walker?.nextObject() as? String {
            let attributes = try FileManager.default.attributesOfItem(atPath: dir.store + "/" + name)
            disk += (attributes[.size] as? NSNumber)?.int64Value ?? 0
        }
        disk += Int64((try FileManager.default.attributesOfItem(atPath: dir.store)[.size] as? NSNumber)?.int64Value ?? 0)
        #expect(Double(disk) / samples <= 4.0, "\(Double(disk) / samples) B/sample on disk")
    }
}
