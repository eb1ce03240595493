import SMTPCore
import Testing

@Suite struct SMTPCommandWriteTests {
    @Test(arguments: [
        (SMTPCommand.helo("client.example"), "HELO client.example\r\n"),
        (.ehlo("[192.0.2.1]"), "EHLO [192.0.2.1]\r\n"),
        (.mail(.null, MailParameters()), "MAIL FROM:<>\r\n"),
        (
            .mail(
                .mailbox(mailbox("a", "b")),
                .with {
                    $0.size = 10
                    $0.body = .eightBitMIME
                }), "MAIL FROM:<a@b> SIZE=10 BODY=8BITMIME\r\n"
        ),
        (
            .mail(
                .mailbox(mailbox("jörg", "bücher.example")),
                .with {
                    $0.body = .binaryMIME
                    $0.smtpUTF8 = true
                    $0.ret = .full
                    $0.envid = "id+1=2"
                    $0.auth = "<>"
                    $0.requireTLS = true
                }),
            "MAIL FROM:<jörg@bücher.example> BODY=BINARYMIME SMTPUTF8 RET=FULL ENVID=id+2B1+3D2 AUTH=<> REQUIRETLS\r\n"
        ),
        (
            .mail(.mailbox(mailbox("john doe", "example.com")), MailParameters()),
            "MAIL FROM:<\"john doe\"@example.com>\r\n"
        ),
        (.rcpt(.postmaster, RcptParameters()), "RCPT TO:<Postmaster>\r\n"),
        (
            .rcpt(.mailbox(Mailbox(localPart: "u", domain: .addressLiteral("IPv6:::1"))), RcptParameters()),
            "RCPT TO:<u@[IPv6:::1]>\r\n"
        ),
        (
            .rcpt(
                .mailbox(mailbox("c", "d")),
                .with {
                    $0.notify = [.failure, .delay]
                    $0.orcpt = OriginalRecipient(addressType: "rfc822", address: "c@d")
                }), "RCPT TO:<c@d> NOTIFY=FAILURE,DELAY ORCPT=rfc822;c@d\r\n"
        ),
        (.data, "DATA\r\n"), (.rset, "RSET\r\n"), (.quit, "QUIT\r\n"), (.startTLS, "STARTTLS\r\n"), (.noop, "NOOP\r\n"),
        (.bdat(chunkSize: 86, last: true), "BDAT 86 LAST\r\n"), (.bdat(chunkSize: 0, last: false), "BDAT 0\r\n"),
        (.vrfy("Smith"), "VRFY Smith\r\n"), (.expn("list"), "EXPN list\r\n"), (.help(nil), "HELP\r\n"),
        (.help("MAIL"), "HELP MAIL\r\n"), (.auth(mechanism: "PLAIN", initialResponse: nil), "AUTH PLAIN\r\n"),
        (.auth(mechanism: "PLAIN", initialResponse: "="), "AUTH PLAIN =\r\n"),
        (.auth(mechanism: "PLAIN", initialResponse: "AGEAYg=="), "AUTH PLAIN AGEAYg==\r\n"),
    ])
    func writesExactWireForm(command: SMTPCommand, expected: String) throws {
        #expect(wire(command) == expected)
        // What we write, we parse back to the same value.
        #expect(try parseCommand(String(decoding: expected.utf8.dropLast(2), as: UTF8.self)) == command)
    }
}
