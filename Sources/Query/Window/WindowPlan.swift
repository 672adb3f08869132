import TSDB

/// One stretch of a window and the level that answers it: raw samples with timestamps in
/// `[from, to)`, or the rollup buckets whose start lies in `[from, to)`.
public struct WindowPiece: Equatable, Sendable {
    public var resolution: Resolution
    public var from: Int64
    public var to: Int64

    public init(resolution: Resolution, from: Int64, to: Int64) {
        self.resolution = resolution
        self.from = from
        self.to = to
    }
}

/// Which data answers a window `[from, to)`.
///
/// Rule: where every level is available, whole coarse buckets (1 h) fill the middle, whole
/// finer buckets (1 m) the stretches the coarse ones leave, and raw samples the ragged edges.
/// Where raw has expired (older than newest - retentionRaw) the finest available rollup answers
/// the edge, and a bucket belongs to the window iff its START lies in `[from, to)`: the bucket
/// straddling `from` is left out and the one straddling `to` counted whole. Windows that tile
/// the time axis therefore tile the buckets (nothing counted twice); `approximateEdges` is set.
/// Zone boundaries between "raw available" and "rollups only" are moved up to the next coarser
/// bucket boundary (raw is still there just after the cutoff), so no bucket is half raw.
///
/// `Strategy.finestRetained` instead answers each zone whole from its finest level still retained
/// (raw wherever raw is kept), for counts that must be exact where they can be (SLO latency counts).
public struct WindowPlan: Equatable, Sendable {
    public var pieces: [WindowPiece] = []
    /// A partial rollup bucket was counted whole or left out at an edge.
    public var approximateEdges = false

    /// How a zone is covered.
    public enum Strategy: Sendable {
        /// Whole coarse buckets in the middle, finer levels at the edges: fewest buckets read.
        case fewestBuckets
        /// The zone's finest level still retained, whole: raw wherever raw is kept.
        case finestRetained
    }

    public init(pieces: [WindowPiece] = [], approximateEdges: Bool = false) {
        self.pieces = pieces
        self.approximateEdges = approximateEdges
    }

    /// Rollup resolutions ascending and, per level (raw first), the oldest time it is complete from.
    public struct Levels: Equatable, Sendable {
        public var resolutions: [Int64]
        public var availableFrom: [Int64]
        public var rawOnly: Bool

        /// Levels of `store` as seen now (retention counts back from the newest sample).
        public init(store: Store, options: QueryOptions) {
            let o = store.options
            resolutions = o.rollupResolutions.sorted()
            rawOnly = options.rawOnly || resolutions.isEmpty
            let newest = store.retentionReference
            func from(_ keep: Int64) -> Int64 {
                guard let newest, keep > 0 else { return .min }
                return newest &- keep
            }
            availableFrom = [from(o.retentionRaw)] + resolutions.map { from(o.retention(forResolution: $0)) }
        }

        public init(resolutions: [Int64], availableFrom: [Int64], rawOnly: Bool) {
            self.resolutions = resolutions
            self.availableFrom = availableFrom
            self.rawOnly = rawOnly
        }
    }

    /// The plan for `[from, to)`; empty when the window is empty.
    public static func make(from: Int64, to: Int64, levels: Levels, strategy: Strategy = .fewestBuckets) -> WindowPlan {
        var plan = WindowPlan()
        guard from < to else { return plan }
        if levels.rawOnly {
            plan.pieces = [WindowPiece(resolution: .raw, from: from, to: to)]
            return plan
        }
        let res = levels.resolutions
        // Zone i (finest usable level i) is [start[i], start[i-1]); zone 0 ends at +inf and the
        // coarsest zone starts at -inf. Starts are aligned to the next coarser resolution.
        var zoneStart = [Int64](repeating: .min, count: res.count + 1)
        for i in 0..<res.count {
            let aligned = TimeGrid.ceil(levels.availableFrom[i], res[i])
            zoneStart[i] = i > 0 ? Swift.min(aligned, zoneStart[i - 1]) : aligned
        }
        var zoneEnd = Int64.max
        for finest in 0...res.count {
            let a = Swift.max(from, zoneStart[finest])
            let b = Swift.min(to, zoneEnd)
            zoneEnd = zoneStart[finest]
            guard a < b else { continue }
            let coarsest = strategy == .fewestBuckets ? res.count : finest
            plan.cover(a, b, level: coarsest, finest: finest, resolutions: res, levels: levels)
        }
        plan.pieces.sort { $0.from < $1.from }
        return plan
    }

    /// Covers `[a, b)` with levels `finest...level`, coarsest buckets in the middle.
    private mutating func cover(_ a: Int64, _ b: Int64, level: Int, finest: Int, resolutions: [Int64], levels: Levels) {
        guard a < b else { return }
        if level == finest {
            if level == 0 {
                pieces.append(WindowPiece(resolution: .raw, from: a, to: b))
            } else {
                let r = resolutions[level - 1]
                if TimeGrid.ceil(a, r) != a || TimeGrid.ceil(b, r) != b { approximateEdges = true }
                pieces.append(WindowPiece(resolution: .rollup(r), from: a, to: b))
            }
            return
        }
        let r = resolutions[level - 1]
        let lo = TimeGrid.ceil(a, r)
        let hi = TimeGrid.floor(b, r)
        // A coarse level whose retention does not reach back to `lo` is skipped.
        guard lo < hi, lo >= levels.availableFrom[level] else {
            cover(a, b, level: level - 1, finest: finest, resolutions: resolutions, levels: levels)
            return
        }
        cover(a, lo, level: level - 1, finest: finest, resolutions: resolutions, levels: levels)
        pieces.append(WindowPiece(resolution: .rollup(r), from: lo, to: hi))
        cover(hi, b, level: level - 1, finest: finest, resolutions: resolutions, levels: levels)
    }
}
