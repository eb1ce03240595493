import SMTPCore
import Testing

@Suite struct MailboxTests {
    @Test(
        arguments: [
            ("MAIL FROM:<user@example.com>", mailbox("user", "example.com")),
            ("MAIL FROM:<first.last+tag@sub.example.co.uk>", mailbox("first.last+tag", "sub.example.co.uk")),
            ("MAIL FROM:<!#$%&'*+-/=?^_`{|}~@example.com>", mailbox("!#$%&'*+-/=?^_`{|}~", "example.com")),
            ("MAIL FROM:<\"john doe\"@example.com>", mailbox("john doe", "example.com")),
            ("MAIL FROM:<\"a\\\"b\\\\c\"@example.com>", mailbox("a\"b\\c", "example.com")),
            ("MAIL FROM:<\"a\\ b\"@example.com>", mailbox("a b", "example.com")),
            ("MAIL FROM:<\"\"@example.com>", mailbox("", "example.com")),
            ("MAIL FROM:<\"a@b\"@example.com>", mailbox("a@b", "example.com")),
            ("MAIL FROM:<\"a>b\"@example.com>", mailbox("a>b", "example.com")),
            ("MAIL FROM:<User@Example.COM>", mailbox("User", "Example.COM")),
            ("MAIL FROM:<u@localhost>", mailbox("u", "localhost")),
            ("MAIL FROM:<u@a-b.c-d.e>", mailbox("u", "a-b.c-d.e")),
            ("MAIL FROM:<u@123.example>", mailbox("u", "123.example")),
            ("MAIL FROM:<u@xn--bcher-kva.example>", mailbox("u", "xn--bcher-kva.example")),
            // RFC 6531 §3.3: UTF-8 local parts and U-labels.
            ("MAIL FROM:<用户@例子.广告>", mailbox("用户", "例子.广告")),
            ("MAIL FROM:<jörg@bücher.example>", mailbox("jörg", "bücher.example")),
            ("MAIL FROM:<\"jö rg\"@example.com>", mailbox("jö rg", "example.com")),
            // RFC 5321 §4.1.1.3 / Appendix C: source routes are accepted and ignored.
            ("MAIL FROM:<@a.example,@b.example:user@d.example>", mailbox("user", "d.example")),
            ("MAIL FROM:<@a.example:user@d.example>", mailbox("user", "d.example")),
            ("MAIL FROM:<@[192.0.2.1]:user@d.example>", mailbox("user", "d.example")),
            // Address literals (RFC 5321 §4.1.3).
            ("MAIL FROM:<u@[192.0.2.1]>", Mailbox(localPart: "u", domain: .addressLiteral("192.0.2.1"))),
            ("MAIL FROM:<u@[255.255.255.255]>", Mailbox(localPart: "u", domain: .addressLiteral("255.255.255.255"))),
            ("MAIL FROM:<u@[IPv6:::1]>", Mailbox(localPart: "u", domain: .addressLiteral("IPv6:::1"))),
            ("MAIL FROM:<u@[ipv6:2001:db8::1]>", Mailbox(localPart: "u", domain: .addressLiteral("ipv6:2001:db8::1"))),
            (
                "MAIL FROM:<u@[IPv6:2001:db8:0:0:0:0:0:1]>",
                Mailbox(localPart: "u", domain: .addressLiteral("IPv6:2001:db8:0:0:0:0:0:1"))
            ),
            (
                "MAIL FROM:<u@[IPv6:::ffff:192.0.2.1]>",
                Mailbox(localPart: "u", domain: .addressLiteral("IPv6:::ffff:192.0.2.1"))
            ),
            (
                "MAIL FROM:<u@[IPv6:1:2:3:4:5:6:192.0.2.1]>",
                Mailbox(localPart: "u", domain: .addressLiteral("IPv6:1:2:3:4:5:6:192.0.2.1"))
            ),
            (
                "MAIL FROM:<u@[IPv6:1:2:3::5:6:7]>",
                Mailbox(localPart: "u", domain: .addressLiteral("IPv6:1:2:3::5:6:7"))
            ),
            ("MAIL FROM:<u@[IPv6::: ]>", nil),
            (
                "MAIL FROM:<u@[x-tag:some-content]>",
                Mailbox(localPart: "u", domain: .addressLiteral("x-tag:some-content"))
            ),
        ] as [(String, Mailbox?)])
    func parsesMailboxes(line: String, expected: Mailbox?) throws {
        if let expected {
            #expect(try parseCommand(line) == .mail(.mailbox(expected), MailParameters()))
        } else {
            #expect(throws: SMTPCommandError.self) { try parseCommand(line) }
        }
    }

    @Test(arguments: [
        ("MAIL FROM:user@example.com", "angle brackets required"),
        ("MAIL FROM:<user@example.com", "missing closing angle bracket"),
        ("MAIL FROM:<user>", "domain missing"),
        ("MAIL FROM:<Postmaster>", "domain missing"),
        ("MAIL FROM:<user@>", "domain missing"),
        ("MAIL FROM:<@example.com>", "invalid source route"),
        ("MAIL FROM:<.user@example.com>", "invalid local part"),
        ("MAIL FROM:<user.@example.com>", "invalid local part"),
        ("MAIL FROM:<us..er@example.com>", "invalid local part"),
        ("MAIL FROM:<us er@example.com>", "invalid local part"),
        ("MAIL FROM:<us(er@example.com>", "invalid local part"),
        ("MAIL FROM:<a@b@example.com>", "unexpected character in address"),
        ("MAIL FROM:<\"unterminated@example.com>", "unterminated quoted string"),
        ("MAIL FROM:<user@-example.com>", "invalid domain"),
        ("MAIL FROM:<user@example-.com>", "invalid domain"),
        ("MAIL FROM:<user@example..com>", "invalid domain"),
        ("MAIL FROM:<user@example.com.>", "invalid domain"),
        ("MAIL FROM:<user@.example.com>", "domain missing"),
        ("MAIL FROM:<user@exa_mple.com>", "unexpected character in address"),
        ("MAIL FROM:<user@[192.0.2.256]>", "invalid address literal"),
        ("MAIL FROM:<user@[192.0.2]>", "invalid address literal"),
        ("MAIL FROM:<user@[192.0.2.1.5]>", "invalid address literal"),
        ("MAIL FROM:<user@[1922.0.2.1]>", "invalid address literal"),
        ("MAIL FROM:<user@[IPv6:1:2:3:4:5:6:7]>", "invalid address literal"),
        ("MAIL FROM:<user@[IPv6:1:2:3:4:5:6:7:8:9]>", "invalid address literal"),
        ("MAIL FROM:<user@[IPv6:1::2::3]>", "invalid address literal"),
        ("MAIL FROM:<user@[IPv6:1:::2]>", "invalid address literal"),
        ("MAIL FROM:<user@[IPv6:12345::1]>", "invalid address literal"),
        ("MAIL FROM:<user@[IPv6:g::1]>", "invalid address literal"),
        ("MAIL FROM:<user@[IPv6:1::2:3:4:5:6:7]>", "invalid address literal"),
        ("MAIL FROM:<user@[IPv6:1:2:3:4:5::1.2.3.4]>", "invalid address literal"),
        ("MAIL FROM:<user@[IPv6:1.2.3.4::1]>", "invalid address literal"),
        ("MAIL FROM:<user@[IPv6:1:2:3:4:5:1.2.3.4]>", "invalid address literal"),
        ("MAIL FROM:<user@[IPv6:::1.2.3.256]>", "invalid address literal"),
        ("MAIL FROM:<user@[IPv6:x]>", "invalid address literal"),
        ("MAIL FROM:<user@[IPv6]>", "invalid address literal"),
        ("MAIL FROM:<user@[nocolon]>", "invalid address literal"),
        ("MAIL FROM:<user@[-tag:x]>", "invalid address literal"),
        ("MAIL FROM:<user@[tag:]>", "invalid address literal"),
        ("MAIL FROM:<user@[192.0.2.1>", "unterminated address literal"),
        ("MAIL FROM:<user@[a[b:c]>", "invalid address literal"),
        ("MAIL FROM:<@a.example,user@d.example>", "invalid source route"),
        ("MAIL FROM:<@a.example user@d.example>", "invalid source route"),
        ("MAIL FROM:<\"a\\é\"@example.com>", "invalid quoted string"),
    ])
    func rejectsMalformedSender(line: String, detail: String) {
        #expect(throws: SMTPCommandError.badSenderAddress(detail)) { try parseCommand(line) }
    }

    @Test func rejectsInvalidUTF8() {
        let localPart: [UInt8] = Array("MAIL FROM:<".utf8) + [0xC3, 0x28] + Array("@example.com>".utf8)
        #expect(throws: SMTPCommandError.badSenderAddress("invalid UTF-8")) { try parseCommand(bytes: localPart) }
        let domain: [UInt8] = Array("RCPT TO:<u@ex".utf8) + [0xFF] + Array(".com>".utf8)
        #expect(throws: SMTPCommandError.badRecipientAddress("invalid UTF-8")) { try parseCommand(bytes: domain) }
        let overlong: [UInt8] = Array("MAIL FROM:<".utf8) + [0xC0, 0xAF] + Array("@example.com>".utf8)
        #expect(throws: SMTPCommandError.badSenderAddress("invalid UTF-8")) { try parseCommand(bytes: overlong) }
    }

    // RFC 5321 §4.5.3.1.1-3.
    @Test func enforcesLengthLimits() throws {
        let local64 = String(repeating: "a", count: 64)
        #expect(
            try parseCommand("MAIL FROM:<\(local64)@example.com>")
                == .mail(.mailbox(mailbox(local64, "example.com")), MailParameters()))
        #expect(throws: SMTPCommandError.badSenderAddress("local part too long")) {
            try parseCommand("MAIL FROM:<a\(local64)@example.com>")
        }
        let quoted = "\"" + String(repeating: "a", count: 63) + "\""
        #expect(throws: SMTPCommandError.badSenderAddress("local part too long")) {
            try parseCommand("MAIL FROM:<\(quoted)@example.com>")
        }
        let label63 = String(repeating: "b", count: 63)
        #expect(
            try parseCommand("RCPT TO:<u@\(label63).example>")
                == .rcpt(.mailbox(mailbox("u", "\(label63).example")), RcptParameters()))
        #expect(throws: SMTPCommandError.badRecipientAddress("domain label too long")) {
            try parseCommand("RCPT TO:<u@b\(label63).example>")
        }
        // 4 labels of 63 + 3 dots = 255 octets.
        let domain255 = [label63, label63, label63, label63].joined(separator: ".")
        #expect(Mailbox(parsing: "u@\(domain255)") != nil)
        #expect(MailDomain(parsing: domain255) == .name(domain255))
        #expect(MailDomain(parsing: domain255 + "b") == nil)
        #expect(throws: SMTPCommandError.badRecipientAddress("domain too long")) {
            try parseCommand("RCPT TO:<u@\(domain255).b>")
        }
        // Path: "<" + 64 + "@" + 189 + ">" = 256 octets.
        let domain189 = [label63, label63, String(repeating: "c", count: 61)].joined(separator: ".")
        #expect(
            try parseCommand("RCPT TO:<\(local64)@\(domain189)>")
                == .rcpt(.mailbox(mailbox(local64, domain189)), RcptParameters()))
        #expect(throws: SMTPCommandError.badRecipientAddress("address too long")) {
            try parseCommand("RCPT TO:<\(local64)@\(domain189)c>")
        }
    }

    @Test(arguments: [
        (mailbox("user", "example.com"), "user@example.com"),
        (mailbox("first.last", "example.com"), "first.last@example.com"),
        (mailbox("john doe", "example.com"), "\"john doe\"@example.com"),
        (mailbox("a\"b\\c", "example.com"), "\"a\\\"b\\\\c\"@example.com"),
        (mailbox("", "example.com"), "\"\"@example.com"),
        (mailbox(".a", "example.com"), "\".a\"@example.com"),
        (mailbox("a.", "example.com"), "\"a.\"@example.com"),
        (mailbox("a..b", "example.com"), "\"a..b\"@example.com"),
        (mailbox("a@b", "example.com"), "\"a@b\"@example.com"),
        (mailbox("jörg", "bücher.example"), "jörg@bücher.example"),
        (Mailbox(localPart: "u", domain: .addressLiteral("192.0.2.1")), "u@[192.0.2.1]"),
        (Mailbox(localPart: "u", domain: .addressLiteral("IPv6:::1")), "u@[IPv6:::1]"),
    ])
    func describesWireForm(mailbox: Mailbox, expected: String) {
        #expect(mailbox.description == expected)
        #expect(Mailbox(parsing: expected) == mailbox)
    }

    @Test(arguments: [
        (mailbox("user", "example.com"), false),
        (mailbox("jörg", "example.com"), true),
        (mailbox("user", "bücher.example"), true),
        (mailbox("user", "xn--bcher-kva.example"), false),
        (Mailbox(localPart: "u", domain: .addressLiteral("192.0.2.1")), false),
    ])
    func requiresSMTPUTF8(mailbox: Mailbox, expected: Bool) {
        #expect(mailbox.requiresSMTPUTF8 == expected)
    }

    @Test func pathDescriptions() {
        #expect(ReversePath.null.description == "<>")
        #expect(ReversePath.mailbox(mailbox("a", "b")).description == "<a@b>")
        #expect(ForwardPath.postmaster.description == "<Postmaster>")
        #expect(ForwardPath.mailbox(mailbox("a b", "c")).description == "<\"a b\"@c>")
    }

    @Test(arguments: [
        ("example.com", MailDomain.name("example.com")), ("[192.0.2.1]", .addressLiteral("192.0.2.1")),
        ("[IPv6:2001:db8::1]", .addressLiteral("IPv6:2001:db8::1")), ("例子.广告", .name("例子.广告")),
    ])
    func parsesDomains(text: String, expected: MailDomain) {
        #expect(MailDomain(parsing: text) == expected)
        #expect(expected.description == text)
    }

    @Test(arguments: ["", "a..b", "-a", "a-", "a.", "[1.2.3]", "a b", "a_b", "[IPv6:1]", "a.b]"])
    func rejectsDomains(text: String) {
        #expect(MailDomain(parsing: text) == nil)
    }

    @Test(arguments: ["", "a", "@b", "a@", "a@b c", "<a@b>", "a@b@c", "a.@b"])
    func rejectsMailboxes(text: String) {
        #expect(Mailbox(parsing: text) == nil)
    }
}
