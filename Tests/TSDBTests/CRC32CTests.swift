import Testing

@testable import TSDB

@Test func crcKnownVector() {
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
}
