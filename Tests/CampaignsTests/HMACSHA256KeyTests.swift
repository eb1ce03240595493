import XCTest

@testable import Campaigns

/// RFC 4231 §4 test vectors for HMAC-SHA-256.
final class HMACSHA256KeyTests: XCTestCase {
    func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    func testRFC4231Vectors() {
        // Test case 1: 20-byte key.
        XCTAssertEqual(
            hex(HMACSHA256Key([UInt8](repeating: 0x0B, count: 20)).mac(Array("Hi There".utf8))),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        // Test case 2: a key shorter than the output.
        XCTAssertEqual(
            hex(HMACSHA256Key(Array("Jefe".utf8)).mac(Array("what do ya want for nothing?".utf8))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // Test case 6: a 131-byte key, hashed first.
        XCTAssertEqual(
            hex(
                HMACSHA256Key([UInt8](repeating: 0xAA, count: 131)).mac(
                    Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    func testSlicesAndRepeatedUse() {
        let key = HMACSHA256Key(Array("Jefe".utf8))
        let message = Array("xxwhat do ya want for nothing?".utf8)
        for _ in 0..<3 {
            XCTAssertEqual(
                hex(key.mac(message[2...])), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        }
    }
}
