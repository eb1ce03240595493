import SMTPCore
import Testing

@Suite struct ParameterTests {
    @Test(arguments: [
        ("SIZE=0", MailParameters.with { $0.size = 0 }),
        ("SIZE=1000000", .with { $0.size = 1_000_000 }),
        ("size=42", .with { $0.size = 42 }),
        ("SIZE=00000000000000000042", .with { $0.size = 42 }),
        ("SIZE=99999999999999999999", .with { $0.size = Int.max }),
        ("BODY=7BIT", .with { $0.body = .sevenBit }),
        ("BODY=8BITMIME", .with { $0.body = .eightBitMIME }),
        ("body=8bitmime", .with { $0.body = .eightBitMIME }),
        ("BODY=BINARYMIME", .with { $0.body = .binaryMIME }),
        ("SMTPUTF8", .with { $0.smtpUTF8 = true }),
        ("smtputf8", .with { $0.smtpUTF8 = true }),
        ("RET=FULL", .with { $0.ret = .full }),
        ("RET=hdrs", .with { $0.ret = .headers }),
        ("ENVID=QQ314159", .with { $0.envid = "QQ314159" }),
        ("ENVID=a+2Bb+3Dc", .with { $0.envid = "a+b=c" }),
        ("AUTH=<>", .with { $0.auth = "<>" }),
        ("AUTH=e+3Dmc2@example.com", .with { $0.auth = "e=mc2@example.com" }),
        ("REQUIRETLS", .with { $0.requireTLS = true }),
        (
            "SIZE=10 BODY=8BITMIME",
            .with {
                $0.size = 10
                $0.body = .eightBitMIME
            }
        ),
        (
            "SIZE=10  BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=x AUTH=<> REQUIRETLS",
            .with {
                $0.size = 10
                $0.body = .eightBitMIME
                $0.smtpUTF8 = true
                $0.ret = .headers
                $0.envid = "x"
                $0.auth = "<>"
                $0.requireTLS = true
            }
        ),
    ])
    func parsesMailParameters(text: String, expected: MailParameters) throws {
        #expect(try parseCommand("MAIL FROM:<a@b> \(text)") == .mail(.mailbox(mailbox("a", "b")), expected))
    }

    @Test(arguments: [
        ("SIZE", SMTPCommandError.invalidParameter("SIZE requires a value")),
        ("SIZE=", .invalidParameter("Malformed SIZE value")),
        ("SIZE=-1", .invalidParameter("SIZE value must be a number")),
        ("SIZE=1k", .invalidParameter("SIZE value must be a number")),
        ("SIZE=123456789012345678901", .invalidParameter("SIZE value must be a number")),
        ("SIZE=1 SIZE=2", .invalidParameter("Duplicate SIZE parameter")),
        ("SIZE=1 size=2", .invalidParameter("Duplicate SIZE parameter")),
        ("BODY=9BIT", .invalidParameter("BODY value must be 7BIT, 8BITMIME or BINARYMIME")),
        ("BODY", .invalidParameter("BODY requires a value")),
        ("SMTPUTF8=yes", .invalidParameter("SMTPUTF8 takes no value")),
        ("REQUIRETLS=1", .invalidParameter("REQUIRETLS takes no value")),
        ("RET=ALL", .invalidParameter("RET value must be FULL or HDRS")),
        ("ENVID=a+2", .invalidParameter("ENVID value must be xtext of at most 100 characters")),
        (
            "ENVID=" + String(repeating: "x", count: 101),
            .invalidParameter("ENVID value must be xtext of at most 100 characters")
        ),
        ("AUTH=a+zz", .invalidParameter("AUTH value must be xtext")),
        ("AUTH=a=b", .invalidParameter("Malformed AUTH value")),
        ("FOO=bar", .unknownParameter("FOO")),
        ("x-custom", .unknownParameter("X-CUSTOM")),
        ("NOTIFY=NEVER", .unknownParameter("NOTIFY")),
        ("-SIZE=1", .syntax("Malformed parameter")),
        ("=1", .syntax("Malformed parameter")),
        ("SI_ZE=1", .syntax("Malformed parameter")),
    ])
    func rejectsMailParameters(text: String, error: SMTPCommandError) {
        #expect(throws: error) { try parseCommand("MAIL FROM:<a@b> \(text)") }
    }

    @Test(arguments: [
        ("NOTIFY=NEVER", RcptParameters.with { $0.notify = .never }),
        ("NOTIFY=SUCCESS", .with { $0.notify = .success }),
        ("notify=success,failure", .with { $0.notify = [.success, .failure] }),
        ("NOTIFY=DELAY,FAILURE,SUCCESS", .with { $0.notify = [.success, .failure, .delay] }),
        (
            "ORCPT=rfc822;Bob@example.com",
            .with {
                $0.orcpt = OriginalRecipient(addressType: "rfc822", address: "Bob@example.com")
            }
        ),
        (
            "ORCPT=RFC822;a+2Bb@example.com",
            .with {
                $0.orcpt = OriginalRecipient(addressType: "RFC822", address: "a+b@example.com")
            }
        ),
        (
            "ORCPT=utf-8;j\\x{00F6}rg@example.com",
            .with {
                $0.orcpt = OriginalRecipient(addressType: "utf-8", address: "jörg@example.com")
            }
        ),
        (
            "ORCPT=UTF-8;jörg@bücher.example",
            .with {
                $0.orcpt = OriginalRecipient(addressType: "UTF-8", address: "jörg@bücher.example")
            }
        ),
        (
            "NOTIFY=FAILURE,DELAY ORCPT=rfc822;x@y",
            .with {
                $0.notify = [.failure, .delay]
                $0.orcpt = OriginalRecipient(addressType: "rfc822", address: "x@y")
            }
        ),
    ])
    func parsesRcptParameters(text: String, expected: RcptParameters) throws {
        #expect(try parseCommand("RCPT TO:<a@b> \(text)") == .rcpt(.mailbox(mailbox("a", "b")), expected))
    }

    @Test(arguments: [
        (
            "NOTIFY=NEVER,SUCCESS",
            SMTPCommandError.invalidParameter("NOTIFY value must be NEVER or SUCCESS, FAILURE, DELAY")
        ),
        ("NOTIFY=FAILURE,NEVER", .invalidParameter("NOTIFY value must be NEVER or SUCCESS, FAILURE, DELAY")),
        ("NOTIFY=SOMETIMES", .invalidParameter("NOTIFY value must be NEVER or SUCCESS, FAILURE, DELAY")),
        ("NOTIFY=SUCCESS,", .invalidParameter("NOTIFY value must be NEVER or SUCCESS, FAILURE, DELAY")),
        ("NOTIFY", .invalidParameter("NOTIFY requires a value")),
        ("NOTIFY=NEVER NOTIFY=NEVER", .invalidParameter("Duplicate NOTIFY parameter")),
        ("ORCPT=noSemicolon", .invalidParameter("ORCPT value must be addr-type;xtext")),
        ("ORCPT=;a@b", .invalidParameter("ORCPT value must be addr-type;xtext")),
        ("ORCPT=rfc822;", .invalidParameter("ORCPT value must be addr-type;xtext")),
        ("ORCPT=rfc822;a+4", .invalidParameter("ORCPT value must be addr-type;xtext")),
        ("ORCPT=rfc(822;a@b", .invalidParameter("ORCPT value must be addr-type;xtext")),
        ("ORCPT=utf-8;a+b", .invalidParameter("ORCPT value must be addr-type;xtext")),
        ("ORCPT=utf-8;a\\x{D800}", .invalidParameter("ORCPT value must be addr-type;xtext")),
        ("ORCPT=utf-8;a\\x{4}", .invalidParameter("ORCPT value must be addr-type;xtext")),
        ("ORCPT=utf-8;a\\x{41", .invalidParameter("ORCPT value must be addr-type;xtext")),
        ("ORCPT=utf-8;a\\y", .invalidParameter("ORCPT value must be addr-type;xtext")),
        ("ORCPT=utf-8;\\x{+41}", .invalidParameter("ORCPT value must be addr-type;xtext")),
        (
            "ORCPT=rfc822;" + String(repeating: "x", count: 494),
            .invalidParameter("ORCPT value must be addr-type;xtext")
        ),
        ("SIZE=10", .unknownParameter("SIZE")),
    ])
    func rejectsRcptParameters(text: String, error: SMTPCommandError) {
        #expect(throws: error) { try parseCommand("RCPT TO:<a@b> \(text)") }
    }

    @Test func postmasterTakesParameters() throws {
        #expect(
            try parseCommand("RCPT TO:<Postmaster> NOTIFY=NEVER") == .rcpt(.postmaster, .with { $0.notify = .never }))
    }

    @Test(
        arguments: [
            (DSNNotify.never, "NEVER"), (DSNNotify.success, "SUCCESS"),
            (DSNNotify([.delay, .success]), "SUCCESS,DELAY"),
            (DSNNotify([.success, .failure, .delay]), "SUCCESS,FAILURE,DELAY"),
        ] as [(DSNNotify, String)])
    func notifyValues(notify: DSNNotify, text: String) {
        #expect(notify.parameterValue == text)
        #expect(DSNNotify(parameterValue: text) == notify)
    }

    @Test(arguments: [
        (OriginalRecipient(addressType: "rfc822", address: "a+b=c@example.com"), "rfc822;a+2Bb+3Dc@example.com"),
        (
            OriginalRecipient(addressType: "utf-8", address: "jörg+x@example.com"),
            "utf-8;j\\x{F6}rg\\x{2B}x@example.com"
        ),
        (OriginalRecipient(addressType: "utf-8", address: "a 😀"), "utf-8;a\\x{20}\\x{1F600}"),
    ])
    func orcptValues(orcpt: OriginalRecipient, text: String) {
        #expect(orcpt.parameterValue == text)
        #expect(OriginalRecipient(parameterValue: text) == orcpt)
    }
}
