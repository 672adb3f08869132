import Foundation
import Testing

@testable import TSDB

/// A fresh directory under the system temp dir, removed when the test's scope ends.
final class TempDirectory {
    let path: String

    init(_ name: String = #function) {
        let clean = name.filter { $0.isLetter || $0.isNumber }
        path = NSTemporaryDirectory() + "tsdb-test-\(clean)-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    var store: String { path + "/store" }
}

/// Deterministic SplitMix64 for storage tests.
struct StorageTestRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        SplitMix64.next(&state)
    }
}

func labels(_ type: String, _ service: String = "svc", _ tags: [String: String] = [:]) -> Labels {
    Labels(type: type, service: service, tags: tags)
}

extension Store {
    /// All raw samples of the series with these labels, or empty.
    func all(_ l: Labels) throws -> SampleColumns { try samples(l) }
}
