import MailMessage
import NIOCore
import Testing

@Suite struct HeaderBlockTests {
    @Test(arguments: [
        ("Subject: x\r\n\r\nbody", 14 as Int?),
        ("Subject: x\r\nFrom: a@b\r\n\r\n", 25),
        ("Subject: x\n\nbody", 12),
        ("\r\nbody", 2),
        ("\nbody", 1),
        ("Subject: x\r\n", nil),
        ("Subject: x", nil),
        ("", nil),
        ("Subject: x\r\n \r\nbody", nil),
        ("Subject: x\r\n\tfolded\r\n\r\nbody\r\n\r\nmore", 23),
        ("A: 1\r\n\nbody", 7),
        ("A: 1\n\r\nbody", 7),
    ])
    func findsEndOfHeader(message: String, expected: Int?) {
        #expect(HeaderBlock.end(of: ByteBuffer(string: message)) == expected)
    }

    @Test func endCountsFromReaderIndex() {
        var buffer = ByteBuffer(string: "xxA: 1\r\n\r\nbody")
        buffer.moveReaderIndex(forwardBy: 2)
        #expect(HeaderBlock.end(of: buffer) == 8)
    }

    @Test(arguments: [
        ("Subject: Hello\r\n\r\nbody", [HeaderField(name: "Subject", value: "Hello")]),
        ("Subject:Hello\r\n\r\n", [HeaderField(name: "Subject", value: "Hello")]),
        ("Subject:   Hello  \r\n\r\n", [HeaderField(name: "Subject", value: "Hello  ")]),
        ("Subject:\r\n\r\n", [HeaderField(name: "Subject", value: "")]),
        // RFC 5322 §2.2.3: unfolding removes the CRLF, keeps the WSP.
        ("Subject: This\r\n is a test\r\n\r\n", [HeaderField(name: "Subject", value: "This is a test")]),
        ("Subject: a\r\n\tb\r\n  c\r\n\r\n", [HeaderField(name: "Subject", value: "a\tb  c")]),
        ("Received: from a\n\tby b\n\nbody", [HeaderField(name: "Received", value: "from a\tby b")]),
        (
            "X-A: 1\r\nx-b: 2\r\nX-A: 3\r\n\r\nY: 4\r\n",
            [
                HeaderField(name: "X-A", value: "1"), HeaderField(name: "x-b", value: "2"),
                HeaderField(name: "X-A", value: "3"),
            ]
        ),
        ("Subject : obsolete\r\n\r\n", [HeaderField(name: "Subject", value: "obsolete")]),
        (
            "To: a@b\r\nno colon here\r\nFrom: c@d\r\n\r\n",
            [
                HeaderField(name: "To", value: "a@b"), HeaderField(name: "From", value: "c@d"),
            ]
        ),
        (" leading continuation\r\nA: 1\r\n\r\n", [HeaderField(name: "A", value: "1")]),
        ("From sender@example.com Mon Jan 1 00:00:00 2024\r\nA: 1\r\n\r\n", [HeaderField(name: "A", value: "1")]),
        ("A: 1\r\nB: 2", [HeaderField(name: "A", value: "1"), HeaderField(name: "B", value: "2")]),
        ("A: x: y\r\n\r\n", [HeaderField(name: "A", value: "x: y")]),
        (": empty name\r\n\r\n", []),
        ("Subject: caf\u{E9}\r\n\r\n", [HeaderField(name: "Subject", value: "caf\u{E9}")]),
        ("\r\nA: 1\r\n", []),
    ])
    func parsesFields(message: String, expected: [HeaderField]) {
        #expect(HeaderBlock.fields(of: ByteBuffer(string: message)) == expected)
    }

    @Test func rfc5322AppendixA11() {
        let message = """
            From: John Doe <jdoe@machine.example>\r
            To: Mary Smith <mary@example.net>\r
            Subject: Saying Hello\r
            Date: Fri, 21 Nov 1997 09:55:06 -0600\r
            Message-ID: <1234@local.machine.example>\r
            \r
            This is a message just to say hello.\r
            So, "Hello".\r

            """
        let buffer = ByteBuffer(string: message)
        #expect(
            HeaderBlock.fields(of: buffer) == [
                HeaderField(name: "From", value: "John Doe <jdoe@machine.example>"),
                HeaderField(name: "To", value: "Mary Smith <mary@example.net>"),
                HeaderField(name: "Subject", value: "Saying Hello"),
                HeaderField(name: "Date", value: "Fri, 21 Nov 1997 09:55:06 -0600"),
                HeaderField(name: "Message-ID", value: "<1234@local.machine.example>"),
            ]
        )
        #expect(
            HeaderBlock.end(of: buffer) == message.utf8.count
                - "This is a message just to say hello.\r\nSo, \"Hello\".\r\n".utf8.count)
    }

    @Test(arguments: [
        ("Message-ID", true), ("message-id", true), ("MESSAGE-ID", true), ("Date", true), ("Subject ", false),
        ("Message", false), ("X-Body", false), ("Folded", false), ("Sender", false),
    ])
    func containsIsCaseInsensitiveAndStopsAtBody(name: String, expected: Bool) {
        let message = ByteBuffer(string: "Message-ID: <a@b>\r\nDate : x\r\n more\r\n\r\nX-Body: 1\r\nSender: s\r\n")
        #expect(HeaderBlock.contains(name, in: message) == expected)
    }

    @Test func containsInHeaderOnlyMessage() {
        #expect(HeaderBlock.contains("b", in: ByteBuffer(string: "A: 1\r\nB: 2")))
        #expect(!HeaderBlock.contains("c", in: ByteBuffer(string: "A: 1\r\nB: 2")))
    }

    @Test func firstValueUnfoldsTrimsAndStopsAtTheBody() {
        let message = ByteBuffer(
            string: "X-Campaign-ID:  spring\r\n\tsale \r\nx-campaign-id: second\r\nTo: a@b\r\n\r\nX-Tenant-ID: body\r\n"
        )
        #expect(HeaderBlock.firstValue(of: "X-CAMPAIGN-ID", in: message) == "spring\tsale")
        #expect(HeaderBlock.firstValue(of: "to", in: message) == "a@b")
        #expect(HeaderBlock.firstValue(of: "X-Tenant-ID", in: message) == nil)
        #expect(HeaderBlock.firstValue(of: "Subject", in: ByteBuffer(string: "Subject:\r\n\r\n")) == "")
    }
}
