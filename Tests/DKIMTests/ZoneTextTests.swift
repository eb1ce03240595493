import Testing

@testable import DKIM

@Suite struct ZoneTextTests {
    @Test func readsBindStyleRecords() throws {
        let text = """
            $ORIGIN example.com.
            $TTL 3600
            ; comment line
            sel._domainkey  3600 IN TXT ( "v=DKIM1; k=rsa; "   ; the first part
                                          "p=AAAA" )
            ed._domainkey.example.org. IN TXT "v=DKIM1; k=ed25519; p=BBBB"
                            TXT "second \\"quoted\\" \\059 string"
            @ IN MX 10 mx.example.com.
            other IN 300 TXT "x"
            """
        let records = try DKIMZoneText.txtRecords(in: text)
        #expect(
            records.map(\.name) == [
                "sel._domainkey.example.com", "ed._domainkey.example.org", "ed._domainkey.example.org",
                "other.example.com",
            ])
        #expect(
            records.map(\.text) == [
                "v=DKIM1; k=rsa; p=AAAA", "v=DKIM1; k=ed25519; p=BBBB", "second \"quoted\" ; string", "x",
            ])
    }

    @Test(arguments: ["a TXT ( \"x\"", "a TXT \"unterminated", "a TXT ) \"x\"", "  TXT \"x\"", "a TXT"])
    func rejectsMalformedText(text: String) {
        #expect(throws: DKIMZoneText.ParseError.self) { try DKIMZoneText.txtRecords(in: text) }
    }

    @Test func formattedLongRecordsReadBack() throws {
        let record = TestKeys.rsa.keyRecordText
        let line = DKIMZoneText.txtRecordLine(name: "rsa._domainkey.example.com", text: record)
        #expect(line.hasPrefix("rsa._domainkey.example.com. IN TXT ( \""))
        let resolver = try DKIMZoneText.resolver(line)
        #expect(resolver.lookupTXTSynchronously("RSA._domainkey.example.com.") == .records([record]))
    }
}
