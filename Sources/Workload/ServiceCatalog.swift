/// One endpoint of a service: its `endpoint` tag, median latency and share of the service's traffic.
struct EndpointProfile: Sendable {
    var path: String
    var medianMs: Double
    var share: Double
}

/// Fixed characteristics of one simulated service.
struct ServiceProfile: Sendable {
    var name: String
    var endpoints: [EndpointProfile]
    /// Relative traffic; normalised over the fleet so the average service gets `requestsPerSecond`.
    var trafficWeight: Double
    /// Spread of the log-normal latency.
    var sigma: Double
    /// Baseline share of 5xx responses outside error bursts.
    var base5xx: Double
    var cpuBasePercent: Double
    var memoryBaseBytes: Double
    var gcMedianMs: Double
    /// Whether this service's gauges arrive a few ms off the 10-second grid (pushed, not scraped).
    var jittered: Bool
}

/// The fixed fleet: realistic names, 2-3 endpoints each, medians between 20 and 200 ms.
enum ServiceCatalog {
    /// Status codes of `api_latency_ms`; the index is part of the series layout.
    static let statuses = ["200", "400", "404", "500", "503"]
    /// Latency multiplier per status: client errors fail fast, 500s are slow, 503s are shed load.
    static let statusLatencyFactor: [Double] = [1.0, 0.4, 0.3, 1.4, 0.1]
    static let latencyMetric = "api_latency_ms"
    private static func e(_ path: String, _ median: Double, _ share: Double) -> EndpointProfile {
        EndpointProfile(path: path, medianMs: median, share: share)
    }

    // name, endpoints, traffic weight, sigma, base 5xx, cpu %, memory MiB, gc ms
    private static let table: [(String, [EndpointProfile], Double, Double, Double, Double, Double, Double)] = [
        (
            "recommendation-api", [e("/v1/recommendations", 140, 0.7), e("/v1/recommendations/similar", 190, 0.3)], 1.3, 0.55, 0.012, 55,
            3072, 9
        ),
        ("search-api", [e("/v1/search", 85, 0.8), e("/v1/search/suggest", 25, 0.2)], 1.6, 0.5, 0.010, 60, 4096, 11),
        ("checkout-api", [e("/v1/checkout", 160, 0.6), e("/v1/checkout/validate", 45, 0.4)], 0.5, 0.45, 0.015, 30, 1536, 6),
        ("cart-api", [e("/v1/cart", 35, 0.7), e("/v1/cart/items", 40, 0.3)], 1.2, 0.5, 0.008, 35, 1024, 4),
        (
            "payment-api", [e("/v1/payments", 180, 0.7), e("/v1/payments/refund", 200, 0.05), e("/v1/payments/status", 30, 0.25)], 0.5, 0.5,
            0.02, 25, 2048, 5
        ),
        ("user-api", [e("/v1/users/me", 22, 0.8), e("/v1/users/preferences", 30, 0.2)], 1.4, 0.45, 0.008, 40, 1024, 3),
        ("auth-api", [e("/v1/auth/token", 45, 0.6), e("/v1/auth/refresh", 20, 0.4)], 1.5, 0.4, 0.010, 50, 768, 2.5),
        ("inventory-api", [e("/v1/inventory", 60, 0.75), e("/v1/inventory/reserve", 95, 0.25)], 0.9, 0.5, 0.012, 45, 2048, 7),
        (
            "catalog-api", [e("/v1/products", 50, 0.6), e("/v1/products/details", 70, 0.3), e("/v1/categories", 28, 0.1)], 1.5, 0.5, 0.008,
            55, 3584, 10
        ),
        ("pricing-api", [e("/v1/prices", 32, 0.85), e("/v1/prices/quote", 75, 0.15)], 1.1, 0.45, 0.010, 35, 1536, 4),
        ("shipping-api", [e("/v1/shipping/rates", 120, 0.7), e("/v1/shipping/track", 65, 0.3)], 0.6, 0.55, 0.015, 25, 1024, 5),
        (
            "order-api", [e("/v1/orders", 90, 0.5), e("/v1/orders/history", 110, 0.35), e("/v1/orders/cancel", 70, 0.15)], 0.6, 0.5, 0.012,
            30, 2048, 6
        ),
        ("notification-api", [e("/v1/notifications", 40, 0.8), e("/v1/notifications/send", 150, 0.2)], 0.8, 0.6, 0.015, 20, 768, 3),
        ("review-api", [e("/v1/reviews", 55, 0.85), e("/v1/reviews/submit", 130, 0.15)], 0.7, 0.5, 0.010, 20, 1024, 5),
        ("image-api", [e("/v1/images/resize", 170, 0.6), e("/v1/images", 45, 0.4)], 1.0, 0.6, 0.012, 70, 6144, 14),
        ("session-api", [e("/v1/sessions", 20, 0.9), e("/v1/sessions/renew", 24, 0.1)], 1.3, 0.4, 0.008, 30, 512, 2),
        ("fraud-api", [e("/v1/fraud/score", 110, 0.9), e("/v1/fraud/report", 60, 0.1)], 0.5, 0.5, 0.018, 45, 2560, 8),
        ("loyalty-api", [e("/v1/loyalty/points", 35, 0.7), e("/v1/loyalty/rewards", 80, 0.3)], 0.5, 0.45, 0.010, 15, 768, 3),
        ("geo-api", [e("/v1/geo/lookup", 26, 0.8), e("/v1/geo/distance", 38, 0.2)], 1.0, 0.4, 0.008, 25, 512, 2),
        ("analytics-api", [e("/v1/events", 30, 0.75), e("/v1/analytics/report", 200, 0.25)], 1.0, 0.6, 0.012, 65, 5120, 12),
    ]

    /// Profiles of the first `count` services; names beyond the table get a numeric suffix.
    static func profiles(count: Int) -> [ServiceProfile] {
        var profiles: [ServiceProfile] = (0..<count).map { i in
            let row = table[i % table.count]
            let name = i < table.count ? row.0 : "\(row.0)-\(i / table.count + 1)"
            return ServiceProfile(
                name: name, endpoints: row.1, trafficWeight: row.2, sigma: row.3, base5xx: row.4,
                cpuBasePercent: row.5, memoryBaseBytes: row.6 * 1_048_576, gcMedianMs: row.7,
                jittered: i % 3 == 2)
        }
        let meanWeight = profiles.reduce(0) { $0 + $1.trafficWeight } / Double(count)
        for i in profiles.indices { profiles[i].trafficWeight /= meanWeight }
        return profiles
    }
}
