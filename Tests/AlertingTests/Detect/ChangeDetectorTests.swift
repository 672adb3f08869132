import Testing

@testable import Alerting

@Suite struct ChangeDetectorTests {
    @Test func detectsShiftAndStaysActiveWhileItLasts() {
        var c = ChangeDetector(k: 1.5, h: 4)
        for _ in 0..<20 { #expect(c.update(0.3) == 0) }
        var evidence: [Double] = []
        for _ in 0..<10 { evidence.append(c.update(3)) }
        #expect(evidence[0] < 1)
        #expect(evidence[2] >= 1)
        #expect(evidence[3...].allSatisfy { $0 > 1 })
        #expect(c.update(0) < 1)  // over: the restarted sum decays at once
    }

    @Test func singleOutlierIsNotAChange() {
        var c = ChangeDetector(k: 1.5, h: 4)
        #expect(c.update(3) < 1)
        #expect(c.update(0) < 1)
        #expect(c.update(-0.5) == 0)
    }

    @Test func bothDirections() {
        var c = ChangeDetector(k: 1, h: 4)
        var e = 0.0
        for _ in 0..<3 { e = c.update(-3) }
        #expect(e >= 1 && c.active == -1)
    }
}
