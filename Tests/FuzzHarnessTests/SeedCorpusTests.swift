import Foundation
import FuzzHarnesses
import TSDB
import Testing

/// The committed seed corpora (`Fuzz/corpus/<harness>/`, and every crash libFuzzer found,
/// minimised, in `Fuzz/regressions/<harness>/`) replay through the harnesses on every test run.
@Suite struct SeedCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz").path

    @Test(arguments: Harness.allCases)
    func seedsReplay(harness: Harness) throws {
        let seeds = Self.root + "/corpus/" + harness.rawValue
        let files = try FileManager.default.contentsOfDirectory(atPath: seeds)
        #expect(files.count >= 3, "\(seeds) needs seeds")
        var paths = files.map { seeds + "/" + $0 }
        let regressions = Self.root + "/regressions/" + harness.rawValue
        paths += ((try? FileManager.default.contentsOfDirectory(atPath: regressions)) ?? []).map { regressions + "/" + $0 }
        for path in paths {
            let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
            bytes.withUnsafeBytes { harness.run($0) }
        }
    }
}

/// The binary seeds are real encodings: the decoders accept them, so fuzzing starts from inputs
/// that reach deep into each decoder.
@Suite struct SeedValidityTests {
    static func seeds(_ harness: Harness) throws -> [(String, [UInt8])] {
        let dir = SeedCorpusTests.root + "/corpus/" + harness.rawValue
        return try FileManager.default.contentsOfDirectory(atPath: dir).sorted().map {
            ($0, try Array(Data(contentsOf: URL(fileURLWithPath: dir + "/" + $0))))
        }
    }

    @Test func binarySeedsDecode() throws {
        for (name, bytes) in try Self.seeds(.storeFiles) {
            let ok = bytes.withUnsafeBytes {
                DecoderEntryPoints.sealedFile(kind: $0[0], body: UnsafeRawBufferPointer(rebasing: $0.dropFirst()))
            }
            #expect(ok, "store-files/\(name)")
        }
        for (name, bytes) in try Self.seeds(.walSegment) where !name.contains("-") {
            #expect(bytes.withUnsafeBytes { DecoderEntryPoints.walSegment($0) }, "wal-segment/\(name)")
        }
        for (name, bytes) in try Self.seeds(.rollupCodec) {
            let count = Int(bytes[0]) << 8 | Int(bytes[1])
            #expect(
                bytes.withUnsafeBytes { DecoderEntryPoints.rollupBuckets(UnsafeRawBufferPointer(rebasing: $0.dropFirst(2)), count: count) },
                "\(name)")
        }
    }
}
