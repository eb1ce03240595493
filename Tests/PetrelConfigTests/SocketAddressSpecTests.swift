import PetrelConfig
import Testing

@Suite("SocketAddressSpec")
struct SocketAddressSpecTests {
    @Test(arguments: [
        ("127.0.0.1:2525", "127.0.0.1", 2525),
        ("[::1]:2525", "::1", 2525),
        ("[::]:25", "::", 25),
        ("0.0.0.0:65535", "0.0.0.0", 65535),
        ("localhost:1", "localhost", 1),
        ("mx.example.org:587", "mx.example.org", 587),
    ])
    func parses(_ text: String, _ host: String, _ port: Int) throws {
        let address = try #require(SocketAddressSpec(text))
        #expect(address == SocketAddressSpec(host: host, port: port))
        #expect(address.description == text)
    }

    @Test(arguments: [
        "", "127.0.0.1", "127.0.0.1:", ":25", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:100000", "127.0.0.1:-1",
        "127.0.0.1:2a", "::1:25", "[::1]", "[::1]25", "[::1:25", "[127.0.0.1]:25", "[::g]:25", "300.1.1.1:25",
        "bad host:25", "-x:25",
    ])
    func rejects(_ text: String) {
        #expect(SocketAddressSpec(text) == nil)
    }
}
