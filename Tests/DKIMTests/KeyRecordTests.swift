import Testing

@testable import DKIM

/// RFC 6376 §3.6.1 key records, including dkimpy's malformed ones from the corpus.
@Suite struct KeyRecordTests {
    @Test(arguments: ["test.txt", "test2.txt", "ed25519test.dns", "eximtest.dns"])
    func dkimpyRecordsParse(file: String) throws {
        let record = try DKIMKeyRecord(parsing: Corpus.text("third_party/dkimpy/data/" + file))
        #expect(!record.isRevoked)
        #expect(record.allowsEmail)
    }

    @Test(arguments: [
        ("badk.txt", "key record has unknown key type k=ed25519-sha256"),
        ("badversion.txt", "key record has v=DKIM1: g=*, not DKIM1"),
        ("test_bad.txt", "key record p= is not a usable key: malformed public key: p= is not a DER RSA public key"),
    ])
    func dkimpyMalformedRecordsAreRejected(file: String, message: String) throws {
        let text = try Corpus.text("third_party/dkimpy/data/" + file)
        do {
            _ = try DKIMKeyRecord(parsing: text)
            Issue.record("\(file) parsed")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func flagsAndLists() throws {
        let record = try DKIMKeyRecord(
            parsing: "v=DKIM1; k=rsa; t=y:s; h=sha1:sha256; s=email; n=note; p="
                + TestKeys.rsa.keyRecordText
                .components(separatedBy: "p=")[1])
        #expect(record.testing && record.strictIdentity)
        #expect(record.hashAlgorithms == ["sha1", "sha256"])
        #expect(record.allows(.rsaSHA256) && record.allowsEmail)
        #expect(record.notes == "note")
        #expect(record.publicKey?.matches(TestKeys.rsa) == true)
    }

    @Test func emptyKeyMeansRevoked() throws {
        #expect(try DKIMKeyRecord(parsing: "v=DKIM1; p=").isRevoked)
    }

    @Test func versionMustComeFirst() {
        #expect(throws: DKIMKeyRecord.ParseError.versionNotFirst) {
            try DKIMKeyRecord(parsing: "k=rsa; v=DKIM1; p=")
        }
    }

    @Test func bareRSAPublicKeyIsAccepted() throws {
        let text = try #require(Corpus.keys("third_party/go-msgauth")["newengland._domainkey.example.com"])
        let record = try DKIMKeyRecord(parsing: text)
        #expect(record.publicKey?.bits == 1024)
    }

    @Test func generatedRecordsDescribeTheirKeys() throws {
        for key in [TestKeys.rsa, TestKeys.ed25519] {
            let record = try DKIMKeyRecord(parsing: key.keyRecordText)
            #expect(record.keyType == key.keyType)
            #expect(record.publicKey?.matches(key) == true)
        }
        #expect(TestKeys.ed25519.keyRecordText.hasPrefix("v=DKIM1; k=ed25519; p="))
        #expect(TestKeys.ed25519.publicKeyData.count == 32)
    }

    @Test(arguments: [1024, 3072])
    func rsaSizes(bits: Int) throws {
        let key = try DKIMPrivateKey.generateRSA(bits: bits)
        #expect(key.bits == bits)
        let reread = try DKIMPrivateKey(pem: key.pem)
        #expect(reread.publicKey.matches(key))
    }

    @Test(arguments: [512, 8192])
    func rsaSizesOutOfRangeAreRefused(bits: Int) {
        #expect(throws: DKIMKeyError.unsupportedKeySize(bits)) { try DKIMPrivateKey.generateRSA(bits: bits) }
    }

    @Test func unreadablePEMIsReported() {
        #expect(throws: DKIMKeyError.self) {
            try DKIMPrivateKey(pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
        }
    }

    @Test func pkcs1PEMFromTheCorpusLoads() throws {
        let key = try DKIMPrivateKey(pem: Corpus.text("third_party/opendkim/rsa.private.pem"))
        let record = try DKIMKeyRecord(
            parsing: #require(Corpus.keys("third_party/opendkim")["test._domainkey.example.com"]))
        #expect(record.publicKey?.matches(key) == true)
    }
}
