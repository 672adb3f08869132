import Testing

@testable import Query
@testable import TSDB

/// Brute-force window aggregates over raw samples.
struct QueryReference {
    var samples: [Sample]

    var count: Int { samples.count }
    var sum: Double { samples.reduce(0) { $0 + $1.value } }
    var sumOfSquares: Double { samples.reduce(0) { $0 + $1.value * $1.value } }
    var absSum: Double { samples.reduce(0) { $0 + $1.value.magnitude } }
    var min: Double { samples.map(\.value).filter { !$0.isNaN }.min() ?? .nan }
    var max: Double { samples.map(\.value).filter { !$0.isNaN }.max() ?? .nan }
    var sorted: [Double] { samples.map(\.value).filter { !$0.isNaN }.sorted() }

    var increase: Double {
        var inc = 0.0
        for (a, b) in zip(samples, samples.dropFirst()) { inc += b.value < a.value ? b.value : b.value - a.value }
        return inc
    }

    /// Samples with timestamps in [from, to); where `bucketBefore` is set, samples older than it
    /// count iff their 1 m bucket start lies in [from, to) (the planner's rule where raw expired).
    static func window(_ all: [Sample], from: Int64, to: Int64, bucketBefore: Int64 = .min) -> QueryReference {
        QueryReference(
            samples: all.filter { s in
                let key = s.timestamp < bucketBefore ? TimeGrid.floor(s.timestamp, Rollups.minute) : s.timestamp
                return key >= from && key < to
            })
    }

    /// Checks the exact fields of `agg` against this reference.
    func check(_ agg: WindowAggregate, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(agg.count == Int64(count), "count \(context)", sourceLocation: sourceLocation)
        #expect(agg.min.bitPattern == min.bitPattern, "min \(agg.min) vs \(min) \(context)", sourceLocation: sourceLocation)
        #expect(agg.max.bitPattern == max.bitPattern, "max \(context)", sourceLocation: sourceLocation)
        #expect(agg.first?.bitPattern == samples.first?.value.bitPattern, "first \(context)", sourceLocation: sourceLocation)
        #expect(agg.firstTimestamp == samples.first?.timestamp, "firstTimestamp \(context)", sourceLocation: sourceLocation)
        #expect(agg.last?.bitPattern == samples.last?.value.bitPattern, "last \(context)", sourceLocation: sourceLocation)
        #expect(agg.lastTimestamp == samples.last?.timestamp, "lastTimestamp \(context)", sourceLocation: sourceLocation)
        let sumTolerance = 1e-9 * Swift.max(1, absSum)
        #expect(Self.close(agg.sum, sum, sumTolerance), "sum \(agg.sum) vs \(sum) \(context)", sourceLocation: sourceLocation)
        let squaresTolerance = 1e-9 * Swift.max(1, sumOfSquares)
        #expect(Self.close(agg.sumOfSquares, sumOfSquares, squaresTolerance), "sumsq \(context)", sourceLocation: sourceLocation)
    }

    static func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
        (a.isNaN && b.isNaN) || a == b || (a - b).magnitude <= tolerance
    }

    /// The sketch contract's exact answer: the element at rank floor(q*(n-1)).
    func rankQuantile(_ q: Double) -> Double? {
        let s = sorted
        guard !s.isEmpty else { return nil }
        return s[Int((q * Double(s.count - 1)).rounded(.down))]
    }
}
