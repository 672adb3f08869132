#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Counts of 64-bit symbols in an open-addressing table (linear probing, a slot is empty when its
/// count is 0): several times faster than `Dictionary` for the ~100 M updates of a streamed day,
/// and memory bounded by the number of distinct symbols.
struct SymbolHistogram: Sendable {
    /// Key and count side by side: one cache miss per lookup in the large value tables.
    private struct Slot {
        var symbol: UInt64
        var count: Int
    }

    private var slots: [Slot]
    /// Number of distinct symbols.
    private(set) var distinct = 0
    /// Number of symbols added.
    private(set) var total = 0
    /// 64 - log2(capacity): the multiplicative hash keeps the top bits.
    private var shift: UInt64

    init() {
        slots = Array(repeating: Slot(symbol: 0, count: 0), count: 16)
        shift = 60
    }

    mutating func add(_ symbol: UInt64) {
        if (distinct + 1) * 4 > slots.count * 3 { grow() }
        total += 1
        let shift = shift
        let isNew = slots.withUnsafeMutableBufferPointer { table in
            let mask = table.count - 1
            var i = Self.slot(symbol, shift: shift)
            while table[i].count != 0 {
                if table[i].symbol == symbol {
                    table[i].count += 1
                    return false
                }
                i = (i + 1) & mask
            }
            table[i] = Slot(symbol: symbol, count: 1)
            return true
        }
        if isNew { distinct += 1 }
    }

    /// Shannon entropy of the empirical distribution, in bits per symbol (exactly 0 for fewer
    /// than two distinct symbols).
    func entropyBits() -> Double {
        guard distinct > 1 else { return 0 }
        // H = log2 N - (1/N) sum c log2 c
        var weighted = 0.0
        for slot in slots where slot.count > 1 { weighted += Double(slot.count) * log2(Double(slot.count)) }
        return max(0, log2(Double(total)) - weighted / Double(total))
    }

    @inline(__always)
    private static func slot(_ symbol: UInt64, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (symbol &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(symbol: 0, count: 0), count: old.count * 2)
        shift -= 1
        let mask = slots.count - 1
        for slot in old where slot.count != 0 {
            var i = Self.slot(slot.symbol, shift: shift)
            while slots[i].count != 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }
}
