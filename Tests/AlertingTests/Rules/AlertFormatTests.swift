import Testing

@testable import Alerting

/// Alert texts format any finite Double (a latency of 1e19 once trapped in `Int64(_:)`).
@Suite struct AlertFormatTests {
    @Test(arguments: [
        (1e19, "1e+19"), (-1e19, "-1e+19"), (Double.greatestFiniteMagnitude, "1.79769e+308"), (12.0, "12"), (1234.6, "1235"),
        (0.000123456, "0.0001235"), (9.2e18, "9.2e+18"),
    ])
    func formatsEveryFiniteValue(value: Double, text: String) {
        #expect(AlertFormat.number(value) == text)
    }

    @Test func nonFiniteIsNotAvailable() {
        #expect(AlertFormat.number(.nan) == "n/a")
        #expect(AlertFormat.number(.infinity) == "n/a")
        #expect(AlertFormat.number(nil) == "n/a")
    }
}
