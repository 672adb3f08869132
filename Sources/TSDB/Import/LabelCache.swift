#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Interns `Labels` by the raw bytes of an event's service, type and tags text, so a
/// repeated series costs one hash and one memcmp instead of decoding and sorting strings.
///
/// Keys are the *raw* (still escaped) JSON bytes: equal bytes always parse to the same
/// labels and pass or fail the same checks, and only lines that passed are inserted.
/// Open addressing with linear probing; when `limit` entries are reached it starts over.
struct LabelCache {
    private struct Entry {
        var hash: UInt64
        var keyStart: Int
        var lengths: (Int32, Int32, Int32)
        var labels: Labels
    }

    let limit: Int
    /// Bounds the key bytes too, in case series carry very long tag sets.
    static let maxArenaBytes = 64 << 20
    private var slots: [Int32] = Array(repeating: -1, count: 256)
    private var entries: [Entry] = []
    private var arena: [UInt8] = []

    init(limit: Int) { self.limit = min(max(1, limit), 1 << 24) }

    /// Hash of the three key parts (lengths mixed in, so part boundaries matter).
    static func hash(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, _ c: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3
        h = mix(a, h)
        h = mix(b, h)
        h = mix(c, h)
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }

    @inline(__always) private static func mix(_ p: UnsafeRawBufferPointer, _ seed: UInt64) -> UInt64 {
        var h = (seed ^ UInt64(truncatingIfNeeded: p.count)) &* 0x9E37_79B9_7F4A_7C15
        guard let base = p.baseAddress else { return h }
        var i = 0
        let n = p.count
        while i + 8 <= n {
            let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift
                shift += 8
                i += 1
            }
            h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
        }
        return h
    }

    /// Bumped whenever the cache starts over, so slots handed out before are stale.
    private(set) var generation = 0

    /// The interned labels and their slot (stable until `generation` changes).
    func lookup(_ hash: UInt64, _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, _ c: UnsafeRawBufferPointer) -> (
        labels: Labels, slot: Int
    )? {
        slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                arena.withUnsafeBytes { arena in
                    let mask = slots.count - 1
                    var i = Int(truncatingIfNeeded: hash) & mask
                    while true {
                        let e = Int(slots[i])
                        if e < 0 { return nil }
                        let entry = entries[e]
                        if entry.hash == hash, entry.lengths == (Int32(a.count), Int32(b.count), Int32(c.count)),
                            LabelCache.equal(arena, entry.keyStart, a, b, c)
                        {
                            return (entry.labels, e)
                        }
                        i = (i + 1) & mask
                    }
                }
            }
        }
    }

    private static func equal(
        _ arena: UnsafeRawBufferPointer, _ start: Int,
        _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, _ c: UnsafeRawBufferPointer
    ) -> Bool {
        same(arena, start, a) && same(arena, start + a.count, b) && same(arena, start + a.count + b.count, c)
    }

    @inline(__always) private static func same(_ arena: UnsafeRawBufferPointer, _ at: Int, _ part: UnsafeRawBufferPointer) -> Bool {
        guard part.count > 0 else { return true }
        guard let x = arena.baseAddress, let y = part.baseAddress else { return false }
        return memcmp(x + at, y, part.count) == 0
    }

    /// Adds an entry (the key must not be present); clears everything first when full.
    /// Returns the new entry's slot, or nil when the key is too long to cache.
    @discardableResult
    mutating func insert(
        _ hash: UInt64, _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, _ c: UnsafeRawBufferPointer, _ labels: Labels
    ) -> Int? {
        guard a.count <= Int32.max, b.count <= Int32.max, c.count <= Int32.max else { return nil }
        if entries.count >= limit || arena.count > LabelCache.maxArenaBytes {
            generation += 1
            entries.removeAll(keepingCapacity: true)
            arena.removeAll(keepingCapacity: true)
            for i in slots.indices { slots[i] = -1 }
        }
        let start = arena.count
        arena.append(contentsOf: a)
        arena.append(contentsOf: b)
        arena.append(contentsOf: c)
        entries.append(Entry(hash: hash, keyStart: start, lengths: (Int32(a.count), Int32(b.count), Int32(c.count)), labels: labels))
        if entries.count * 2 > slots.count {
            rehash(slots.count * 2)
        } else {
            place(entries.count - 1)
        }
        return entries.count - 1
    }

    private mutating func place(_ e: Int) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: entries[e].hash) & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = Int32(e)
    }

    private mutating func rehash(_ capacity: Int) {
        slots = Array(repeating: -1, count: capacity)
        for e in entries.indices { place(e) }
    }
}
