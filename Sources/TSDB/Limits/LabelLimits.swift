/// The limits every series' labels obey. Writers enforce them where a series is created
/// (`Store` for append, import, Kafka and HTTP; the consumer's validator before that), and
/// every reader (WAL, checkpoint, block index) decodes with exactly these bounds, so nothing a
/// writer accepted can ever be unreadable.
public enum LabelLimits {
    /// Longest label name, in UTF-8 bytes.
    public static let maxNameBytes = 256
    /// Longest label value, in UTF-8 bytes (VictoriaMetrics' default is 16 KiB too).
    public static let maxValueBytes = 16_384
    /// Most labels per series, `__name__` and `service` included.
    public static let maxLabels = 128
    /// Most bytes of all names and values of one series together.
    public static let maxTotalBytes = 65_536

    /// Why labels break the limits, or nil when they are within them.
    public static func violation(_ labels: Labels) -> LabelLimitViolation? {
        guard labels.pairs.count <= maxLabels else { return .tooManyLabels(count: labels.pairs.count) }
        var total = 0
        for p in labels.pairs {
            let n = p.name.utf8.count
            let v = p.value.utf8.count
            if n > maxNameBytes { return .nameTooLong(name: String(p.name.prefix(64)), bytes: n) }
            if v > maxValueBytes { return .valueTooLong(name: p.name, bytes: v) }
            total += n + v
        }
        return total > maxTotalBytes ? .labelsTooLarge(bytes: total) : nil
    }
}

/// How a series' labels break `LabelLimits`.
public enum LabelLimitViolation: Error, Equatable, Sendable, CustomStringConvertible {
    case tooManyLabels(count: Int)
    case nameTooLong(name: String, bytes: Int)
    case valueTooLong(name: String, bytes: Int)
    case labelsTooLarge(bytes: Int)

    /// The store's rejection reason for this violation.
    public var rejection: RejectionReason {
        switch self {
        case .tooManyLabels: .tooManyLabels
        case .nameTooLong: .labelNameTooLong
        case .valueTooLong: .labelValueTooLong
        case .labelsTooLarge: .labelsTooLarge
        }
    }

    public var description: String {
        switch self {
        case .tooManyLabels(let n): "\(n) labels exceed the limit of \(LabelLimits.maxLabels) per series"
        case .nameTooLong(let name, let n):
            "label name \(name)... is \(n) bytes, more than the limit of \(LabelLimits.maxNameBytes)"
        case .valueTooLong(let name, let n):
            "value of label \(name) is \(n) bytes, more than the limit of \(LabelLimits.maxValueBytes)"
        case .labelsTooLarge(let n): "labels total \(n) bytes, more than the limit of \(LabelLimits.maxTotalBytes) per series"
        }
    }
}

extension ByteWriter {
    /// Writes a series' labels: count, then name and value of each (the format every reader shares).
    public mutating func writeLabels(_ labels: Labels) {
        writeUVarint(UInt64(labels.pairs.count))
        for p in labels.pairs {
            writeString(p.name)
            writeString(p.value)
        }
    }
}

extension ByteReader {
    /// Reads what `ByteWriter.writeLabels` wrote, within `LabelLimits`.
    public mutating func readLabels() throws(DecodeError) -> Labels {
        let n = try readCount(limit: LabelLimits.maxLabels, "label count")
        var pairs: [Label] = []
        pairs.reserveCapacity(n)
        for _ in 0..<n {
            let name = try readString(limit: LabelLimits.maxNameBytes)
            pairs.append(Label(name, try readString(limit: LabelLimits.maxValueBytes)))
        }
        return Labels(pairs)
    }
}
