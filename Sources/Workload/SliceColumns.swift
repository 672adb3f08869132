/// Growable (time, series, value) columns in manually managed memory, reused slice after slice so
/// the hot loops write through plain pointers without per-element checks or allocation.
final class SliceColumns {
    private(set) var capacity: Int
    private(set) var times: UnsafeMutablePointer<Int64>
    private(set) var series: UnsafeMutablePointer<Int32>
    private(set) var values: UnsafeMutablePointer<Double>
    var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        times = .allocate(capacity: self.capacity)
        series = .allocate(capacity: self.capacity)
        values = .allocate(capacity: self.capacity)
    }

    deinit {
        times.deallocate()
        series.deallocate()
        values.deallocate()
    }

    /// Makes room for at least `extra` more rows, keeping the current ones.
    func reserve(extra: Int) {
        let needed = count + extra
        guard needed > capacity else { return }
        let newCapacity = max(needed, capacity * 2)
        times = Self.grow(times, count: count, to: newCapacity)
        series = Self.grow(series, count: count, to: newCapacity)
        values = Self.grow(values, count: count, to: newCapacity)
        capacity = newCapacity
    }

    @inline(__always)
    func append(time: Int64, series s: Int32, value: Double) {
        reserve(extra: 1)
        times[count] = time
        series[count] = s
        values[count] = value
        count += 1
    }

    private static func grow<T>(_ old: UnsafeMutablePointer<T>, count: Int, to capacity: Int) -> UnsafeMutablePointer<T> {
        let new = UnsafeMutablePointer<T>.allocate(capacity: capacity)
        new.moveInitialize(from: old, count: count)
        old.deallocate()
        return new
    }
}
