import Testing

@testable import DKIM

/// RFC 6376 §3.2 tag=value lists.
@Suite struct TagListTests {
    @Test func parsesWithFoldingWhiteSpace() throws {
        let list = try DKIMTagList(parsing: " v=1;\r\n\ta = rsa-sha256 ; h=from :\r\n to;b=ab c\r\n d;")
        #expect(list.tags.map(\.name) == ["v", "a", "h", "b"])
        #expect(list["a"] == "rsa-sha256")
        #expect(list["h"] == "from :\r\n to")
        #expect(DKIMTagList.withoutFWS(list["b"]!) == "abcd")
    }

    @Test func valueRangeCoversTheWhiteSpaceAroundTheValue() throws {
        let text = "a=1; b= xy\r\n z ; c=2"
        let list = try DKIMTagList(parsing: text)
        let range = try #require(list.tag("b")?.valueRange)
        var bytes = Array(text.utf8)
        bytes.removeSubrange(range)
        #expect(String(decoding: bytes, as: UTF8.self) == "a=1; b=; c=2")
    }

    @Test(arguments: [
        ("a=1; a=2", DKIMTagList.ParseError.duplicateTag("a")), ("a=1; novalue", .missingEquals("novalue")),
        ("1a=x", .badTagName("1a")), ("a-b=x", .badTagName("a-b")), ("=x", .badTagName("")),
        ("a=x\u{01}y", .badValueCharacter(tag: "a")),
    ])
    func rejects(text: String, error: DKIMTagList.ParseError) {
        #expect(throws: error) { try DKIMTagList(parsing: text) }
    }

    @Test func namesAreCaseSensitiveAndEmptyValuesAllowed() throws {
        let list = try DKIMTagList(parsing: "p=; P=x;;")
        #expect(list["p"] == "")
        #expect(list["P"] == "x")
    }

    @Test(arguments: ["", "Zg==", "Zm8=", "Zm9v", "Zm9vYmFy"])
    func base64RoundTrips(text: String) throws {
        let decoded = try #require(DKIMBase64.decode(text))
        #expect(DKIMBase64.encode(decoded) == text)
    }

    @Test(arguments: ["Zg=", "Z===", "Zg==Zg==", "Zm9v!", "Zm9"])
    func base64RejectsMalformed(text: String) {
        #expect(DKIMBase64.decode(text) == nil)
    }

    @Test func base64SkipsFoldingWhiteSpace() {
        #expect(DKIMBase64.decode("Zm9v\r\n YmFy") == Array("foobar".utf8))
    }
}
