import TSDB

extension EventDecoder {
    /// One JSON event line. TSDB's `EventParser` requires `service`; when it reports exactly
    /// that field missing (which it does only after the whole object scanned cleanly), the
    /// line is parsed again with `"service":"<fallback>"` spliced in after the opening brace.
    /// Costs a second parse only for service-less events and keeps one JSON grammar.
    func decodeJSONLine(_ line: UnsafeRawBufferPointer, _ number: Int, _ fallback: String?, _ out: inout DecodedMessage) {
        do {
            out.events.append(try json.parse(line))
        } catch .emptyLine {
            return
        } catch .missingField("service") where fallback != nil {
            spliceService(line, fallback ?? "")
            let result = spliced.withUnsafeBytes { buf in
                Result { () throws(EventParseError) -> MetricEvent in try json.parse(buf) }
            }
            switch result {
            case .success(let event): out.events.append(event)
            case .failure(let error): out.rejections.append(.event(error, line: number))
            }
        } catch {
            out.rejections.append(.event(error, line: number))
        }
    }

    /// `spliced` = the line with `"service":"<service>"` as the object's first member.
    private func spliceService(_ line: UnsafeRawBufferPointer, _ service: String) {
        spliced.removeAll(keepingCapacity: true)
        var brace = 0
        while brace < line.count && line[brace] != 0x7B { brace += 1 }
        var next = brace + 1
        while next < line.count, line[next] == 0x20 || line[next] == 0x09 || line[next] == 0x0D || line[next] == 0x0A { next += 1 }
        spliced.append(contentsOf: "{\"service\":".utf8)
        JSONText.appendString(service, to: &spliced)
        if next < line.count && line[next] != 0x7D { spliced.append(0x2C) }
        if brace + 1 < line.count { spliced.append(contentsOf: line[(brace + 1)...]) }
    }
}
