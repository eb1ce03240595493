import Foundation
import NIOCore
import SMTPCore
import Testing

@testable import SMTPServer

@Suite struct SMTPSessionTests {
    static func session(
        mode: ListenerSettings.Mode = .relay, trusted: Bool = false, plaintextAuth: Bool = true,
        requireTLS: Bool = false
    ) -> SMTPSession {
        SMTPSession(
            settings: testSettings(trusted: trusted),
            listener: ListenerSettings(
                name: "t", host: "127.0.0.1", port: 25, mode: mode, requireTLS: requireTLS,
                allowPlaintextAuth: plaintextAuth),
            clientAddress: "192.0.2.9", tlsAvailable: true)
    }

    static func mailbox(_ text: String) -> Mailbox {
        let parts = text.split(separator: "@")
        return Mailbox(localPart: String(parts[0]), domain: .name(String(parts[1])))
    }

    static func reply(_ action: SessionAction) -> SMTPReply? {
        switch action {
        case .reply(let reply), .replyAndClose(let reply), .authChallenge(let reply), .startTLS(let reply),
            .receiveData(let reply):
            return reply
        default:
            return nil
        }
    }

    static func code(_ action: SessionAction) -> String {
        guard let reply = reply(action) else { return "\(action)" }
        return "\(reply.code) \(reply.enhanced?.description ?? "")"
    }

    @Test func commandOrderIsEnforced() {
        var session = Self.session(trusted: true)
        #expect(Self.code(session.command(.mail(.null, MailParameters()))) == "503 5.5.1")
        _ = session.command(.ehlo("client.test"))
        #expect(Self.code(session.command(.rcpt(.mailbox(Self.mailbox("a@b.test")), RcptParameters()))) == "503 5.5.1")
        #expect(Self.code(session.command(.data)) == "503 5.5.1")
        #expect(Self.code(session.command(.mail(.null, MailParameters()))) == "250 2.1.0")
        #expect(Self.code(session.command(.mail(.null, MailParameters()))) == "503 5.5.1")
        #expect(Self.code(session.command(.data)) == "554 5.5.1")
        #expect(Self.code(session.command(.rcpt(.mailbox(Self.mailbox("a@b.test")), RcptParameters()))) == "250 2.1.5")
        #expect(session.command(.data) == .receiveData(SMTPReply(code: 354, "End data with <CR><LF>.<CR><LF>")))
    }

    /// The relay policy of the issue: untrusted, unauthenticated clients reach local domains only.
    @Test(arguments: [
        (ListenerSettings.Mode.relay, true, "x@far.test", "250 2.1.5"),
        (.relay, false, "x@far.test", "554 5.7.1"),
        (.relay, false, "x@bounce.example.org", "250 2.1.5"),
        (.relay, false, "x@BOUNCE.example.ORG", "250 2.1.5"),
        (.inbound, true, "x@far.test", "554 5.7.1"),
        (.inbound, false, "x@bounce.example.org", "250 2.1.5"),
    ])
    func relayPolicy(mode: ListenerSettings.Mode, trusted: Bool, recipient: String, expected: String) {
        var session = Self.session(mode: mode, trusted: trusted)
        _ = session.command(.ehlo("c"))
        _ = session.command(.mail(.null, MailParameters()))
        #expect(Self.code(session.command(.rcpt(.mailbox(Self.mailbox(recipient)), RcptParameters()))) == expected)
    }

    @Test func postmasterIsAlwaysAccepted() {
        var session = Self.session(mode: .inbound)
        _ = session.command(.ehlo("c"))
        _ = session.command(.mail(.null, MailParameters()))
        #expect(Self.code(session.command(.rcpt(.postmaster, RcptParameters()))) == "250 2.1.5")
        #expect(session.transaction?.recipients.first?.address == "postmaster@mx.test")
    }

    @Test func authenticatedUserMayRelay() {
        var session = Self.session(mode: .submission)
        _ = session.command(.ehlo("c"))
        #expect(Self.code(session.command(.mail(.null, MailParameters()))) == "530 5.7.0")
        let initial = Data("\0alice\0secret".utf8).base64EncodedString()
        #expect(
            session.command(.auth(mechanism: "PLAIN", initialResponse: initial))
                == .authenticate(user: "alice", password: Array("secret".utf8)))
        #expect(Self.code(session.authResult(user: "alice", success: true)) == "235 2.7.0")
        #expect(Self.code(session.command(.mail(.null, MailParameters()))) == "250 2.1.0")
        #expect(
            Self.code(session.command(.rcpt(.mailbox(Self.mailbox("x@far.test")), RcptParameters()))) == "250 2.1.5")
        #expect(session.receivedProtocol == "ESMTPA")
    }

    @Test func authLoginExchange() {
        var session = Self.session()
        _ = session.command(.ehlo("c"))
        #expect(
            session.command(.auth(mechanism: "LOGIN", initialResponse: nil))
                == .authChallenge(SMTPReply(code: 334, "VXNlcm5hbWU6")))
        #expect(session.authLine("YWxpY2U=") == .authChallenge(SMTPReply(code: 334, "UGFzc3dvcmQ6")))
        #expect(session.authLine("c2VjcmV0") == .authenticate(user: "alice", password: Array("secret".utf8)))
    }

    @Test func authCancelAndGarbage() {
        var session = Self.session()
        _ = session.command(.ehlo("c"))
        _ = session.command(.auth(mechanism: "PLAIN", initialResponse: nil))
        #expect(Self.code(session.authLine("*")) == "501 5.0.0")
        _ = session.command(.auth(mechanism: "PLAIN", initialResponse: nil))
        #expect(Self.code(session.authLine("!!!notbase64")) == "501 5.5.2")
        #expect(Self.code(session.command(.auth(mechanism: "CRAM-MD5", initialResponse: nil))) == "504 5.5.4")
    }

    @Test func authNeedsTLSUnlessAllowed() {
        var session = Self.session(plaintextAuth: false)
        _ = session.command(.ehlo("c"))
        #expect(!session.capabilities.contains("AUTH PLAIN LOGIN"))
        #expect(session.capabilities.contains("STARTTLS"))
        #expect(Self.code(session.command(.auth(mechanism: "PLAIN", initialResponse: "="))) == "538 5.7.11")
        #expect(Self.code(session.command(.startTLS)) == "220 2.0.0")
        session.tlsEstablished(protocol: "TLSv1.3")
        #expect(Self.code(session.command(.auth(mechanism: "PLAIN", initialResponse: "="))) == "503 5.5.1")
        _ = session.command(.ehlo("c"))
        #expect(session.capabilities.contains("AUTH PLAIN LOGIN"))
        #expect(!session.capabilities.contains("STARTTLS"))
    }

    @Test func failedAuthAttemptsEndTheSession() {
        var session = Self.session()
        _ = session.command(.ehlo("c"))
        #expect(Self.code(session.authResult(user: "x", success: false)) == "535 5.7.8")
        #expect(Self.code(session.authResult(user: "x", success: false)) == "535 5.7.8")
        guard case .replyAndClose(let reply) = session.authResult(user: "x", success: false) else {
            Issue.record("third failure must close")
            return
        }
        #expect(reply.code == 421)
    }

    @Test func startTLSResetsTheSession() {
        var session = Self.session(trusted: true)
        _ = session.command(.ehlo("c"))
        _ = session.command(.startTLS)
        session.tlsEstablished(protocol: "TLSv1.3")
        #expect(Self.code(session.command(.mail(.null, MailParameters()))) == "503 5.5.1")
    }

    @Test func requireTLSListenerRefusesMailInTheClear() {
        var session = Self.session(trusted: true, requireTLS: true)
        _ = session.command(.ehlo("c"))
        #expect(Self.code(session.command(.mail(.null, MailParameters()))) == "530 5.7.0")
    }

    @Test func utf8AddressesNeedSMTPUTF8() {
        var session = Self.session(trusted: true)
        _ = session.command(.ehlo("c"))
        let utf8 = Mailbox(localPart: "jöran", domain: .name("exämple.test"))
        #expect(Self.code(session.command(.mail(.mailbox(utf8), MailParameters()))) == "553 5.6.7")
        var parameters = MailParameters()
        parameters.smtpUTF8 = true
        #expect(Self.code(session.command(.mail(.mailbox(utf8), parameters))) == "250 2.1.0")
        #expect(Self.code(session.command(.rcpt(.mailbox(utf8), RcptParameters()))) == "250 2.1.5")
        #expect(session.receivedProtocol == "UTF8SMTP")
    }

    @Test func recipientLimitAnswers452() {
        var session = SMTPSession(
            settings: testSettings(trusted: true) { $0.maxRecipients = 100 },
            listener: ListenerSettings(name: "t", host: "h", port: 1, mode: .relay), clientAddress: "1.2.3.4",
            tlsAvailable: false)
        _ = session.command(.ehlo("c"))
        _ = session.command(.mail(.null, MailParameters()))
        for index in 0..<100 {
            #expect(
                Self.code(session.command(.rcpt(.mailbox(Self.mailbox("u\(index)@d.test")), RcptParameters())))
                    == "250 2.1.5")
        }
        #expect(
            Self.code(session.command(.rcpt(.mailbox(Self.mailbox("over@d.test")), RcptParameters()))) == "452 4.5.3")
    }

    @Test func heloRejectsExtensionParameters() {
        var session = Self.session(trusted: true)
        _ = session.command(.helo("c"))
        var parameters = MailParameters()
        parameters.body = .eightBitMIME
        #expect(Self.code(session.command(.mail(.null, parameters))) == "555 5.5.4")
        #expect(session.capabilities.contains("CHUNKING"))
    }

    @Test func vrfyAndQuit() {
        var session = Self.session()
        #expect(Self.code(session.command(.vrfy("x"))) == "252 2.0.0")
        #expect(Self.code(session.command(.quit)) == "221 2.0.0")
        #expect(session.inputMode == .closed)
    }
}
