import Foundation

/// Column shapes the codec tests generate: realistic series and adversarial bit patterns.
enum CodecShape: String, CaseIterable, Sendable, CustomStringConvertible {
    case constant, regularGauge, oneDecimalGauge, latency, counter, specials, decimalWithNaN
    case randomBits, decreasing, extremes, wideDecimals, equalTimestamps

    var description: String { rawValue }

    static let start: Int64 = 1_767_225_600_000  // 2026-01-01 in ms

    /// NaNs with different payloads and signs, infinities, zeros, subnormals, extremes.
    static let specialValues: [Double] = [
        .nan, -.nan, .signalingNaN, Double(bitPattern: 0x7FF8_0000_0000_0001), Double(bitPattern: 0xFFF0_0000_DEAD_BEEF),
        Double(bitPattern: 0x7FF0_0000_0000_0001), .infinity, -.infinity, 0.0, -0.0,
        .leastNonzeroMagnitude, -.leastNonzeroMagnitude, Double(bitPattern: 0x000F_FFFF_FFFF_FFFF),
        .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1e300, -1e-300, 9.2e18, -9.3e18,
    ]

    func generate(count: Int, seed: UInt64) -> (timestamps: [Int64], values: [Double]) {
        var rng = CodecTestRNG(seed: seed &* 31 &+ UInt64(CodecShape.allCases.firstIndex(of: self) ?? 0))
        var ts = [Int64]()
        var vs = [Double]()
        ts.reserveCapacity(count)
        vs.reserveCapacity(count)
        var t = CodecShape.start + Int64(rng.int(0...1_000_000))
        var v = Double(rng.int(0...10_000)) / 100
        for i in 0..<count {
            switch self {
            case .constant:
                ts.append(CodecShape.start + Int64(i) * 10_000)
                vs.append(42.5)
            case .regularGauge, .oneDecimalGauge:
                ts.append(CodecShape.start + Int64(i) * 10_000 + Int64(rng.int(-20...20)))
                let scale = self == .regularGauge ? 100.0 : 10.0
                v = min(100, max(0, v + (rng.normal() * 0.8 * scale).rounded() / scale))
                vs.append((v * scale).rounded() / scale)
            case .latency:
                t += Int64(rng.exponential(mean: 1000 / 20).rounded())
                ts.append(t)
                vs.append(Self.latency(&rng))
            case .counter:
                ts.append(CodecShape.start + Int64(i) * 10_000)
                v = rng.chance(0.002) ? 0 : v + Double(rng.int(0...200)).rounded()
                vs.append(v.rounded())
            case .specials:
                t += Int64(rng.int(0...2))
                ts.append(t)
                vs.append(rng.chance(0.5) ? Self.specialValues[rng.int(0...Self.specialValues.count - 1)] : Self.latency(&rng))
            case .decimalWithNaN:
                ts.append(CodecShape.start + Int64(i) * 1000)
                vs.append(i == count / 2 ? .nan : Self.latency(&rng))
            case .randomBits:
                ts.append(Int64(bitPattern: rng.next()))
                vs.append(Double(bitPattern: rng.next()))
            case .decreasing:
                t -= Int64(rng.int(0...5000))
                ts.append(t)
                vs.append(Double(rng.int(-1_000_000...1_000_000)) / 1000)
            case .extremes:
                let edge: [Int64] = [.min, .max, 0, -1, 1, .min + 1, .max - 1]
                ts.append(rng.chance(0.3) ? edge[rng.int(0...edge.count - 1)] : t + Int64(i))
                vs.append(rng.chance(0.5) ? Double(Int64(bitPattern: rng.next()) >> 2) : rng.unit() * 1e-300)
            case .wideDecimals:
                // Integers near ±9e18 (their deltas overflow Int64 and must wrap) and 9-decimal values.
                ts.append(t + Int64(i) * 15_000)
                vs.append(
                    rng.chance(0.7)
                        ? (rng.chance(0.5) ? 1 : -1) * Double(rng.int(8_000_000_000_000_000_000...8_990_000_000_000_000_000))
                        : Double(rng.int(-(1 << 53)...(1 << 53))) / 1e9)
            case .equalTimestamps:
                if rng.chance(0.2) { t += Int64(rng.int(1...10)) }
                ts.append(t)
                vs.append(Double(i % 7))
            }
        }
        return (ts, vs)
    }

    /// Log-normal latency in ms (median ~50 ms), 2 decimals, with rare x10-x50 spikes.
    static func latency(_ rng: inout CodecTestRNG) -> Double {
        var ms = 50 * exp(0.6 * rng.normal())
        if rng.chance(0.005) { ms *= 10 + 40 * rng.unit() }
        return (ms * 100).rounded() / 100
    }
}

/// Realistic series for the size checks: latency events and 10 s gauges/counters.
enum CodecSeries {
    /// Poisson arrivals at `rate` events/s with ms timestamps, log-normal latencies (2 decimals).
    static func latency(rate: Double, seconds: Double, seed: UInt64) -> (timestamps: [Int64], values: [Double]) {
        var rng = CodecTestRNG(seed: seed)
        var ts = [Int64]()
        var vs = [Double]()
        var t = Double(CodecShape.start)
        let end = t + seconds * 1000
        while true {
            t += rng.exponential(mean: 1000 / rate)
            guard t < end else { break }
            ts.append(Int64(t.rounded()))
            vs.append(CodecShape.latency(&rng))
        }
        return (ts, vs)
    }

    /// One 2 h block of a 10 s gauge (CPU %, 2 decimals, random walk) or counter (with rare resets).
    static func regular(counter: Bool, jitter: Bool, seed: UInt64) -> (timestamps: [Int64], values: [Double]) {
        let shape: CodecShape = counter ? .counter : .regularGauge
        let vs = shape.generate(count: 720, seed: seed).values
        var rng = CodecTestRNG(seed: seed)
        let ts = (0..<720).map { CodecShape.start + Int64($0) * 10_000 + (jitter ? Int64(rng.int(-20...20)) : 0) }
        return (ts, vs)
    }
}

/// Zeroth-order (plug-in) entropy in bits of a series, as the size targets define it:
/// H(timestamp deltas) + min(H(values), H(value deltas)), each times its symbol count.
func codecEntropyBits(timestamps ts: [Int64], values vs: [Double]) -> Double {
    func bits<S: Hashable>(_ symbols: [S]) -> Double {
        var counts: [S: Int] = [:]
        for s in symbols { counts[s, default: 0] += 1 }
        let n = Double(symbols.count)
        return counts.values.reduce(0) { acc, c in acc - Double(c) * log2(Double(c) / n) }
    }
    guard ts.count > 1 else { return 0 }
    let tsDeltas = (1..<ts.count).map { ts[$0] &- ts[$0 - 1] }
    let valueDeltas = (1..<vs.count).map { (vs[$0] - vs[$0 - 1]).bitPattern }
    return bits(tsDeltas) + min(bits(vs.map(\.bitPattern)), bits(valueDeltas))
}
