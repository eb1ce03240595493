import NIOCore
import NIOPosix
import SMTPCore
import Testing

@testable import SMTPClient

@Suite struct SMTPClientConnectionTests {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    static func mailbox(_ text: String) -> Mailbox {
        let parts = text.split(separator: "@")
        return Mailbox(localPart: String(parts[0]), domain: .name(String(parts[1])))
    }

    static func transaction(_ recipients: [String], body: String = "Subject: t\r\n\r\n.hello\r\n") -> ClientTransaction
    {
        ClientTransaction(
            sender: .mailbox(mailbox("sender@origin.test")),
            recipients: recipients.map { (path: .mailbox(mailbox($0)), parameters: RcptParameters()) },
            message: ByteBuffer(string: body))
    }

    @Test(arguments: [TLSPolicy.opportunistic, .disabled])
    func deliversWithPerRecipientReplies(policy: TLSPolicy) async throws {
        let server = try await LoopbackServer(tls: true)
        let connection = try await SMTPClientConnection.connect(
            host: "mx.loopback.test", address: "127.0.0.1", port: server.port,
            settings: SMTPClientSettings(ehloName: "client.test", tlsPolicy: policy), group: Self.group)
        #expect(connection.capabilities.pipelining)
        let result = try await connection.send(
            Self.transaction(["a@accept.test", "b@elsewhere.test", "c@accept.test"]))
        #expect(result.mail.code == 250)
        #expect(result.recipients.map(\.code) == [250, 554, 250])
        #expect(result.data?.code == 250)
        #expect(result.outcome(forRecipient: 1).enhanced == EnhancedStatusCode(5, 7, 1))
        // Connection reuse: a second message on the same connection.
        let second = try await connection.send(Self.transaction(["d@accept.test"]))
        #expect(second.data?.code == 250)
        await connection.quit()
        let messages = server.sink.messages.withLockedValue { $0 }
        #expect(messages.count == 2)
        #expect(messages[0].recipients.map(\.address) == ["a@accept.test", "c@accept.test"])
        var body = messages[0].body
        #expect(body.readString(length: body.readableBytes)?.hasSuffix("Subject: t\r\n\r\n.hello\r\n") == true)
        if policy == .opportunistic {
            guard case .established(_, let verified, _) = connection.tlsOutcome else {
                Issue.record("expected TLS, got \(connection.tlsOutcome)")
                return
            }
            #expect(!verified, "a self-signed certificate must not count as verified")
            #expect(messages[0].tlsProtocol != nil)
        } else {
            #expect(connection.tlsOutcome == .none)
            #expect(messages[0].tlsProtocol == nil)
        }
        await server.stop()
    }

    @Test func noRecipientAcceptedSendsNoMessage() async throws {
        let server = try await LoopbackServer(tls: false)
        let connection = try await SMTPClientConnection.connect(
            host: "mx.loopback.test", address: "127.0.0.1", port: server.port,
            settings: SMTPClientSettings(ehloName: "client.test"), group: Self.group)
        #expect(connection.tlsOutcome == .notOffered)
        let result = try await connection.send(Self.transaction(["x@elsewhere.test"]))
        #expect(result.recipients.map(\.code) == [554])
        #expect(result.data == nil)
        let next = try await connection.send(Self.transaction(["y@accept.test"]))
        #expect(next.data?.code == 250)
        await connection.quit()
        #expect(server.sink.messages.withLockedValue { $0.count } == 1)
        await server.stop()
    }

    @Test func requiredTLSFailsWithoutIt() async throws {
        let server = try await LoopbackServer(tls: false)
        await #expect(throws: SMTPClientError.self) {
            _ = try await SMTPClientConnection.connect(
                host: "mx.loopback.test", address: "127.0.0.1", port: server.port,
                settings: SMTPClientSettings(ehloName: "client.test", tlsPolicy: .required), group: Self.group)
        }
        await server.stop()
    }

    @Test func requiredTLSRefusesAnUntrustedCertificate() async throws {
        let server = try await LoopbackServer(tls: true)
        await #expect(throws: SMTPClientError.self) {
            _ = try await SMTPClientConnection.connect(
                host: "mx.loopback.test", address: "127.0.0.1", port: server.port,
                settings: SMTPClientSettings(ehloName: "client.test", tlsPolicy: .required), group: Self.group)
        }
        await server.stop()
    }

    @Test func connectionRefusedIsAnError() async throws {
        await #expect(throws: SMTPClientError.self) {
            _ = try await SMTPClientConnection.connect(
                host: "dead.test", address: "127.0.0.1", port: 1,
                settings: SMTPClientSettings(ehloName: "client.test"), group: Self.group)
        }
    }

    @Test func capabilitiesParse() {
        let caps = ESMTPCapabilities(
            ehloReply: SMTPReply(code: 250, lines: ["mx", "PIPELINING", "SIZE 1000", "8BITMIME", "starttls"]))
        #expect(caps.pipelining && caps.eightBitMIME && caps.startTLS)
        #expect(caps.maximumSize == 1000)
        #expect(!caps.smtpUTF8)
    }
}
