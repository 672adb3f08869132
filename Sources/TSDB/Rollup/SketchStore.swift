/// The non-empty buckets of one sign of a `QuantileSketch`: keys strictly increasing, counts >= 1.
/// Sparse (two parallel arrays) so a sketch of 50 samples costs ~50 entries whatever their spread,
/// and a corrupt key on disk cannot make us allocate a dense range.
struct SketchStore: Sendable, Equatable {
    var keys: [Int32] = []
    var counts: [Int64] = []

    var isEmpty: Bool { keys.isEmpty }

    var total: Int64 { counts.reduce(0, +) }

    mutating func add(_ key: Int32, count: Int64 = 1) {
        // Fast path: samples of one bucket often repeat or extend the last key.
        if let last = keys.last {
            if last == key {
                counts[counts.count - 1] += count
                return
            }
            if last < key {
                keys.append(key)
                counts.append(count)
                return
            }
        } else {
            keys.append(key)
            counts.append(count)
            return
        }
        var lo = 0
        var hi = keys.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if keys[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        if lo < keys.count && keys[lo] == key {
            counts[lo] += count
        } else {
            keys.insert(key, at: lo)
            counts.insert(count, at: lo)
        }
    }

    /// Linear merge of two sorted stores.
    mutating func merge(_ other: SketchStore) {
        if other.isEmpty { return }
        if isEmpty {
            self = other
            return
        }
        var k: [Int32] = []
        var c: [Int64] = []
        k.reserveCapacity(keys.count + other.keys.count)
        c.reserveCapacity(keys.count + other.keys.count)
        var i = 0
        var j = 0
        while i < keys.count || j < other.keys.count {
            if j == other.keys.count || (i < keys.count && keys[i] < other.keys[j]) {
                k.append(keys[i])
                c.append(counts[i])
                i += 1
            } else if i == keys.count || other.keys[j] < keys[i] {
                k.append(other.keys[j])
                c.append(other.counts[j])
                j += 1
            } else {
                k.append(keys[i])
                c.append(counts[i] + other.counts[j])
                i += 1
                j += 1
            }
        }
        keys = k
        counts = c
    }
}
