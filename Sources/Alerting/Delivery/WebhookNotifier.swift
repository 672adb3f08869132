import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Why a webhook delivery failed for good.
public enum WebhookError: Error, Sendable, Equatable {
    /// The receiver answered with a status that retrying will not fix (4xx but 408/429).
    case rejected(status: Int)
    /// Every attempt failed; `last` describes the last failure.
    case exhausted(attempts: Int, last: String)
    /// The notification could not be encoded.
    case encoding(String)
}

/// Retry schedule: `attempts` tries, waiting `baseDelay * 2^(n-1)` (capped at `maxDelay`) after try n.
public struct RetryPolicy: Sendable, Equatable {
    public var attempts: Int
    /// Delay after the first failed attempt (ms).
    public var baseDelay: Int64
    /// Longest delay between attempts (ms).
    public var maxDelay: Int64

    /// A policy of at least one attempt.
    public init(attempts: Int = 4, baseDelay: Int64 = 500, maxDelay: Int64 = 30_000) {
        self.attempts = max(1, attempts)
        self.baseDelay = max(0, baseDelay)
        self.maxDelay = max(0, maxDelay)
    }

    /// The wait (ms) after failed attempt `n` (1-based).
    public func delay(after n: Int) -> Int64 {
        let shift = min(max(0, n - 1), 30)
        let (d, overflow) = baseDelay.multipliedReportingOverflow(by: Int64(1) << shift)
        return overflow ? maxDelay : min(d, maxDelay)
    }
}

/// POSTs each notification as JSON to a URL, retrying with exponential backoff.
public struct WebhookNotifier: AlertNotifier {
    public let name: String
    public let url: URL
    /// Per-request timeout (ms).
    public let timeout: Int64
    public let retry: RetryPolicy
    public let headers: [String: String]
    public let log: DeliveryLog?
    private let session: URLSession

    /// A notifier posting to `url`; `headers` are added to each request (e.g. an auth token).
    public init(
        name: String = "webhook", url: URL, timeout: Int64 = 5_000, retry: RetryPolicy = RetryPolicy(), headers: [String: String] = [:],
        log: DeliveryLog? = nil
    ) {
        self.name = name
        self.url = url
        self.timeout = max(1, timeout)
        self.retry = retry
        self.headers = headers
        self.log = log
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = Double(self.timeout) / 1000
        config.timeoutIntervalForResource = Double(self.timeout) / 1000
        session = URLSession(configuration: config)
    }

    /// Posts `n`; returns on a 2xx, throws `WebhookError` once retries are exhausted or the receiver refuses.
    public func deliver(_ n: AlertNotification) async throws {
        let body: Data
        do { body = try n.jsonData() } catch { throw WebhookError.encoding("\(error)") }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.timeoutInterval = Double(timeout) / 1000
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        request.httpBody = body
        var last = ""
        for attempt in 1...max(1, retry.attempts) {
            let started = Date()
            let clock = ContinuousClock.now
            var status: Int?
            var failure: String?
            do {
                let (_, response) = try await session.data(for: request)
                status = (response as? HTTPURLResponse)?.statusCode
                if let s = status, !(200..<300).contains(s) { failure = "HTTP \(s)" }
                if status == nil { failure = "not an HTTP response" }
            } catch {
                failure = (error as? URLError).map { "\($0.code): \($0.localizedDescription)" } ?? "\(error)"
            }
            let permanent = status.map { (400..<500).contains($0) && $0 != 408 && $0 != 429 } ?? false
            let retryIn: Int64? = failure == nil || permanent || attempt == retry.attempts ? nil : retry.delay(after: attempt)
            let elapsed = ContinuousClock.now - clock
            log?.append(
                DeliveryRecord(
                    notifier: name, key: n.key, rule: n.rule, attempt: attempt, at: Int64(started.timeIntervalSince1970 * 1000),
                    statusCode: status, error: failure, latencyMs: elapsed / .milliseconds(1), success: failure == nil,
                    retryInMs: retryIn))
            guard let failure else { return }
            if permanent, let s = status { throw WebhookError.rejected(status: s) }
            last = failure
            if let retryIn { try await Task.sleep(for: .milliseconds(retryIn)) }
        }
        throw WebhookError.exhausted(attempts: retry.attempts, last: last)
    }
}
