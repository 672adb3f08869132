import TSDB

/// Writes Prometheus API JSON bodies by hand: exact field order and number text, no reflection.
public struct PromJSON {
    public private(set) var text = ""

    public init() {}

    public mutating func raw(_ s: String) { text += s }

    /// A JSON string literal with the escapes JSON requires.
    public mutating func string(_ s: String) {
        text += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(u)
            }
        }
        text += "\""
    }

    /// `{"name":"value",...}` in label order.
    public mutating func labels(_ labels: Labels) {
        text += "{"
        for (i, p) in labels.pairs.enumerated() {
            if i > 0 { text += "," }
            string(p.name)
            text += ":"
            string(p.value)
        }
        text += "}"
    }

    /// `[<seconds>,"<value>"]`, a Prometheus sample pair.
    public mutating func point(_ t: Int64, _ v: Double) {
        text += "[" + PromFormat.timestamp(t) + ",\"" + PromFormat.value(v) + "\"]"
    }

    /// `["a","b",...]`.
    public mutating func strings(_ values: [String]) {
        text += "["
        for (i, v) in values.enumerated() {
            if i > 0 { text += "," }
            string(v)
        }
        text += "]"
    }

    /// The `data` object of a query answer, with our resolutions and quantile error bound added
    /// (clients ignore unknown fields).
    public mutating func queryData(_ value: QueryValue, _ stats: QueryStats) {
        text += "{\"resultType\":"
        switch value {
        case .scalar(let t, let v):
            text += "\"scalar\",\"result\":"
            point(t, v)
        case .string(let t, let v):
            text += "\"string\",\"result\":[" + PromFormat.timestamp(t) + ","
            string(v)
            text += "]"
        case .vector(let samples):
            text += "\"vector\",\"result\":["
            for (i, s) in samples.enumerated() {
                text += i > 0 ? ",{\"metric\":" : "{\"metric\":"
                labels(s.labels)
                text += ",\"value\":"
                point(s.t, s.v)
                text += "}"
            }
            text += "]"
        case .matrix(let series):
            text += "\"matrix\",\"result\":["
            for (i, s) in series.enumerated() {
                text += i > 0 ? ",{\"metric\":" : "{\"metric\":"
                labels(s.labels)
                text += ",\"values\":["
                for (j, p) in s.points.enumerated() {
                    if j > 0 { text += "," }
                    point(p.t, p.v)
                }
                text += "]}"
            }
            text += "]"
        }
        text += ",\"resolutions\":"
        strings(PromJSON.names(stats.resolutions))
        text += ",\"quantileErrorBound\":" + PromFormat.jsonNumber(stats.quantileErrorBound) + "}"
    }

    /// Resolution names, finest first ("raw", "1m", "1h").
    static func names(_ resolutions: Set<Resolution>) -> [String] {
        func order(_ r: Resolution) -> Int64 {
            switch r {
            case .raw: return 0
            case .rollup(let ms): return ms
            }
        }
        return resolutions.sorted { order($0) < order($1) }.map(\.description)
    }

    /// `{"status":"success","data":<data>}` around a body written by `data`.
    public static func success(_ data: (inout PromJSON) -> Void) -> String {
        var w = PromJSON()
        w.raw("{\"status\":\"success\",\"data\":")
        data(&w)
        w.raw("}")
        return w.text
    }

    /// `{"status":"error","errorType":...,"error":...}`.
    public static func error(type: String, message: String) -> String {
        var w = PromJSON()
        w.raw("{\"status\":\"error\",\"errorType\":")
        w.string(type)
        w.raw(",\"error\":")
        w.string(message)
        w.raw("}")
        return w.text
    }

    /// A whole query answer as the API returns it.
    public static func queryResponse(_ value: QueryValue, _ stats: QueryStats) -> String {
        success { $0.queryData(value, stats) }
    }
}
