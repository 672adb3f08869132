import Testing

@testable import MetricsService

@Suite struct MetricsServiceTests {
    @Test func moduleLoads() { _ = MetricsService.self }
}
