import Testing

@testable import Query
@testable import TSDB

@Suite struct WindowPlanTests {
    static let minute = Rollups.minute, hour = Rollups.hour
    static let all = WindowPlan.Levels(resolutions: [minute, hour], availableFrom: [.min, .min, .min], rawOnly: false)

    @Test func dayWindowReadsHoursMinutesAndRawEdges() {
        let base: Int64 = 1_764_288_000_000
        let from = base + 17 * Self.minute + 1234
        let to = from + 24 * Self.hour
        let plan = WindowPlan.make(from: from, to: to, levels: Self.all)
        #expect(plan.pieces.map(\.resolution) == [.raw, .rollup(Self.minute), .rollup(Self.hour), .rollup(Self.minute), .raw])
        #expect(plan.pieces[0] == WindowPiece(resolution: .raw, from: from, to: base + 18 * Self.minute))
        #expect(plan.pieces[2] == WindowPiece(resolution: .rollup(Self.hour), from: base + Self.hour, to: base + 24 * Self.hour))
        #expect(!plan.approximateEdges)
    }

    @Test func rawOnlyIsOnePiece() {
        var levels = Self.all
        levels.rawOnly = true
        #expect(WindowPlan.make(from: 5, to: 10_000_000, levels: levels).pieces == [WindowPiece(resolution: .raw, from: 5, to: 10_000_000)])
        #expect(WindowPlan.make(from: 5, to: 5, levels: levels).pieces.isEmpty)
    }

    /// Pieces tile [from, to) in order; raw only at or after the raw zone; edges flagged.
    @Test(arguments: 0..<4) func piecesTileTheWindow(seed: UInt64) {
        var rng = QueryCoreRNG(seed: seed)
        for _ in 0..<500 {
            let rawFrom = Int64(rng.next() % 100_000_000)
            let levels = WindowPlan.Levels(resolutions: [Self.minute, Self.hour], availableFrom: [rawFrom, .min, .min], rawOnly: false)
            let from = Int64(rng.next() % 100_000_000)
            let to = from + Int64(rng.next() % 30_000_000)
            let plan = WindowPlan.make(from: from, to: to, levels: levels)
            var t = from
            for p in plan.pieces {
                #expect(p.from == t && p.from < p.to)
                if p.resolution == .raw { #expect(p.from >= rawFrom) }
                if case .rollup(let r) = p.resolution, p.from != from, p.to != to {
                    #expect(p.from % r == 0 && p.to % r == 0)
                }
                t = p.to
            }
            #expect(t == (from < to ? to : from))
            let zone = TimeGrid.ceil(rawFrom, Self.minute)
            let partial = plan.pieces.contains { p in
                p.resolution != .raw && (p.from % Self.minute != 0 || p.to % Self.minute != 0)
            }
            #expect(plan.approximateEdges == partial)
            if from >= zone { #expect(!plan.approximateEdges) }
        }
    }

    @Test func resolutionDescriptions() {
        #expect(Resolution.raw.description == "raw")
        #expect(Resolution.rollup(60_000).description == "1m")
        #expect(Resolution.rollup(3_600_000).description == "1h")
    }
}
