import SMTPCore
import Testing

@Suite struct XTextTests {
    @Test(arguments: [
        ("", ""), ("abc", "abc"), ("a+2Bb", "a+b"), ("+3D", "="), ("a+20b", "a b"), ("+2b+3d", "+="),
        ("<>", "<>"), ("j+C3+B6rg", "jörg"), ("~!", "~!"),
    ])
    func decodes(encoded: String, decoded: String) {
        #expect(XText.decode(encoded) == decoded)
    }

    @Test(arguments: ["+", "+4", "+4G", "a=b", "a b", "é", "+FF", "\u{7F}", "+C3"])
    func rejects(encoded: String) {
        #expect(XText.decode(encoded) == nil)
    }

    @Test(arguments: [
        ("abc", "abc"), ("a+b", "a+2Bb"), ("a=b", "a+3Db"), ("a b", "a+20b"), ("jörg", "j+C3+B6rg"),
        ("\r\n", "+0D+0A"), ("~", "~"),
    ])
    func encodes(text: String, encoded: String) {
        #expect(XText.encode(text) == encoded)
        #expect(XText.decode(encoded) == text)
    }
}
