import Alerting

/// The `alerts:` section: threshold rules, their evaluation and how notifications leave.
public struct AlertsConfig: Sendable, Equatable {
    /// Time between rule evaluations (ms).
    public var evaluationInterval: Int64 = 30_000
    /// Notifications sent per wall minute before the rest is summarised (storm control).
    public var maxPerMinute = 30
    /// Cool-down of rules that set none (ms).
    public var defaultCooldown: Int64 = 600_000
    /// Where notifications are POSTed; nil: no webhook.
    public var webhook: WebhookConfig?
    /// Length cap of the `metrics:alerts` Redis list.
    public var redisListLength = 1000
    /// The threshold rules (the built-in ones when the file lists none).
    public var rules: [AlertRule] = AlertRule.defaults

    /// The defaults.
    public init() {}
}

/// The `alerts.webhook:` section (the `ALERT_WEBHOOK_URL` environment variable overrides `url`).
public struct WebhookConfig: Sendable, Equatable {
    /// http(s) URL notifications are POSTed to.
    public var url: String
    /// Delivery attempts per notification (first try included).
    public var attempts: Int
    /// Wait before the first retry (ms), doubled after each failure.
    public var backoff: Int64
    /// Per-request timeout (ms).
    public var timeout: Int64

    /// A webhook to `url`; the retry policy defaults to 4 attempts, 500 ms backoff, 5 s timeout.
    public init(url: String, attempts: Int = 4, backoff: Int64 = 500, timeout: Int64 = 5_000) {
        self.url = url
        self.attempts = attempts
        self.backoff = backoff
        self.timeout = timeout
    }
}
