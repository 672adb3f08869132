extension EventParser {
    /// Builds the labels of a series not in the cache: decodes the strings, checks tag names
    /// (non-empty, unique, not reserved) and applies `Labels(type:service:tags:)`.
    /// `tagsAt` is the offset of the already validated tags object, if any.
    func buildLabels(_ line: JSONCursor, service: JSONStringSpan, type: JSONStringSpan, tagsAt: Int?) throws(EventParseError) -> Labels {
        let serviceName = line.string(service, scratch: &scratch)
        let typeName = line.string(type, scratch: &scratch)
        var tags: [String: String] = [:]
        if let tagsAt {
            var c = line
            c.pos = tagsAt
            try c.scanTagMembers { _, _ throws(EventParseError) in
            } member: { nameSpan, value, c throws(EventParseError) in
                let name = c.string(nameSpan, scratch: &scratch)
                if name.isEmpty { throw .emptyField("tags key") }
                if name == Labels.service || name == Labels.metricName { throw .conflictingTag(name) }
                let text: String
                switch value {
                case .string(let span): text = c.string(span, scratch: &scratch)
                case .literal(let start, let end):
                    text = String(decoding: UnsafeBufferPointer(start: c.base + start, count: end - start), as: UTF8.self)
                }
                guard tags.count < LabelLimits.maxLabels else { throw .labelLimit(.tooManyLabels(count: tags.count + 1)) }
                guard tags.updateValue(text, forKey: name) == nil else { throw .duplicateField("tags." + name) }
            }
        }
        let labels = Labels(type: typeName, service: serviceName, tags: tags)
        if let violation = LabelLimits.violation(labels) { throw .labelLimit(violation) }
        return labels
    }
}
