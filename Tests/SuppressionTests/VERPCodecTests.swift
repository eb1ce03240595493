import Suppression
import Testing

@Suite struct VERPCodecTests {
    let codec = VERPCodec(prefix: "b", domain: "Bounce.Example.org", key: Array(repeating: 7, count: 32))
    let queueID = "01JQ4M7X8Z9K2P3Q"

    @Test func aOneRecipientAddressNamesItsMessageAndRecipient() throws {
        let address = codec.address(queueID: queueID, recipient: "Jane@example.net")
        #expect(address.wholeMatch(of: /b\+[0-9a-z]{32}@bounce\.example\.org/) != nil, "\(address)")
        #expect(address.split(separator: "@")[0].count <= 64)  // RFC 5321 §4.5.3.1.1
        let token = try #require(codec.decode(address))
        #expect(token.queueID == queueID)
        #expect(token.names("jane@example.net"))
        #expect(!token.names("john@example.net"))
    }

    @Test func caseChangesOnTheWayBackDoNotMatter() throws {
        let address = codec.address(queueID: queueID, recipient: "jane@example.net")
        let token = try #require(codec.decode(address.uppercased()))
        #expect(token.queueID == queueID)
        #expect(token.names("jane@example.net"))
    }

    @Test func aWholeMessageTokenNamesNoRecipient() throws {
        let token = try #require(codec.decode(codec.address(queueID: queueID, recipient: nil)))
        #expect(token.recipientTag == 0)
        #expect(!token.names("jane@example.net"))
    }

    @Test func everyAlteredCharacterFailsTheHMAC() {
        let address = codec.address(queueID: queueID, recipient: "jane@example.net")
        let local = Array(address.split(separator: "@")[0])
        for position in 2..<local.count {
            var forged = local
            forged[position] = forged[position] == "z" ? "y" : "z"
            #expect(codec.decode(String(forged) + "@bounce.example.org") == nil, "position \(position)")
        }
    }

    @Test func anotherKeyOrDomainOrPrefixIsNotOurs() {
        let address = codec.address(queueID: queueID, recipient: "jane@example.net")
        let otherKey = VERPCodec(prefix: "b", domain: "bounce.example.org", key: Array(repeating: 8, count: 32))
        #expect(otherKey.decode(address) == nil)
        #expect(codec.decode(address.replacingOccurrences(of: "bounce.example.org", with: "example.org")) == nil)
        #expect(codec.decode("x" + address.dropFirst()) == nil)
        #expect(codec.decode("b+short@bounce.example.org") == nil)
        #expect(codec.decode("postmaster@bounce.example.org") == nil)
    }
}
