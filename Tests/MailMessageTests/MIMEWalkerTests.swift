import MailMessage
import Testing

@Suite struct MIMEWalkerTests {
    @Test func nestedMultipart() {
        let message = """
            Content-Type: multipart/mixed; boundary="outer"

            preamble
            --outer
            Content-Type: text/plain

            hello
            --outer
            Content-Type: multipart/alternative; boundary=inner

            --inner
            Content-Type: text/html
            Content-Transfer-Encoding: quoted-printable

            <b>caf=C3=A9</b>
            --inner--
            --outer--
            epilogue
            """
        let parts = MIMEWalker.parts(of: Array(message.utf8)[...])
        #expect(
            parts.map(\.contentType.mediaType) == [
                "multipart/mixed", "text/plain", "multipart/alternative", "text/html",
            ])
        #expect(parts[1].text == "hello")
        #expect(parts[3].text == "<b>café</b>")
    }

    @Test(arguments: [
        ("text/plain; charset=\"utf-8\"", "text/plain", "utf-8"),
        ("Multipart/Report; report-type=delivery-status; boundary=\"a;b\"", "multipart/report", nil),
        ("garbage", "text/plain", nil),
    ])
    func contentType(value: String, mediaType: String, charset: String?) {
        let parsed = MIMEContentType(parsing: value)
        #expect(parsed.mediaType == mediaType)
        #expect(parsed.parameters["charset"] == charset)
    }

    @Test func base64() {
        #expect(MIMEDecoder.base64(Array("aGVs\nbG8=".utf8)[...]) == Array("hello".utf8))
    }

    @Test func unterminatedMultipartKeepsLastPart() {
        let message = "Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\nbody"
        let parts = MIMEWalker.parts(of: Array(message.utf8)[...])
        #expect(parts.count == 2)
        #expect(parts[1].text == "body")
    }
}
