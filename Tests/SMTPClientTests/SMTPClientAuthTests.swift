import Foundation
import NIOCore
import NIOPosix
import SMTPCore
import Testing

@testable import SMTPClient

/// AUTH PLAIN to an upstream relay (RFC 4954, RFC 4616): a Petrel submission
/// listener on loopback is the relay.
@Suite struct SMTPClientAuthTests {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    static func settings(password: String) -> SMTPClientSettings {
        var settings = SMTPClientSettings(ehloName: "client.test", tlsPolicy: .required, verifyCertificates: false)
        settings.credentials = .init(user: "relay-user", password: password)
        return settings
    }

    @Test func relaysAfterAuthenticating() async throws {
        let server = try await LoopbackServer(tls: true, submission: true)
        let connection = try await SMTPClientConnection.connect(
            host: "mx.loopback.test", address: "127.0.0.1", port: server.port,
            settings: Self.settings(password: "s3cret"), group: Self.group)
        let result = try await connection.send(SMTPClientConnectionTests.transaction(["anyone@far-away.test"]))
        #expect(result.data?.code == 250)
        await connection.quit()
        let message = try #require(server.sink.messages.withLockedValue { $0.first })
        #expect(message.authUser == "relay-user")
        await server.stop()
    }

    @Test func wrongPasswordFailsTheConnection() async throws {
        let server = try await LoopbackServer(tls: true, submission: true)
        do {
            _ = try await SMTPClientConnection.connect(
                host: "mx.loopback.test", address: "127.0.0.1", port: server.port,
                settings: Self.settings(password: "wrong"), group: Self.group)
            Issue.record("AUTH with a wrong password must fail")
        } catch {
            guard case .authenticationFailed(let reply) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(reply?.code == 535)
        }
        await server.stop()
    }

    @Test func base64MatchesFoundation() {
        for text in ["", "a", "ab", "abc", "\0relay-user\0s3cret", String(repeating: "xyz", count: 40)] {
            let bytes = Array(text.utf8)
            #expect(SMTPClientConnection.base64(bytes) == Data(bytes).base64EncodedString())
        }
    }
}
