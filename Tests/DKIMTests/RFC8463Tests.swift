import Foundation
import NIOCore
import Testing

@testable import DKIM

/// RFC 8463 Appendix A: the Ed25519 signature must be reproduced bit for bit (PureEdDSA is deterministic).
@Suite struct RFC8463Tests {
    private func vector() throws -> [String: String] {
        guard let vector = try Corpus.json("rfc8463/signature-vector.json") as? [String: String] else {
            throw CorpusError("signature-vector.json is not an object of strings")
        }
        return vector
    }

    @Test func ed25519SignatureIsReproducedExactly() throws {
        let vector = try vector()
        let seed = try #require(DKIMBase64.decode(Corpus.text("rfc8463/ed25519.private.b64")))
        let key = try DKIMPrivateKey(ed25519Seed: seed)
        #expect(DKIMBase64.encode(key.publicKeyData) == vector["ed25519_public_b64"])

        let message = try Corpus.buffer("rfc8463/unsigned.eml.txt")
        let (fields, bodyHash) = message.withUnsafeReadableBytes { bytes in
            let parsed = DKIMParsedMessage(bytes)
            let body = UnsafeRawBufferPointer(rebasing: bytes[parsed.bodyOffset...])
            return (parsed.fields, DKIMBodyCanonicalizer.hash(body: body, .relaxed).digest)
        }
        #expect(DKIMBase64.encode(bodyHash) == vector["expected_bh"])

        let header = try #require(vector["header_with_empty_b"])
        let names = ["from", "to", "subject", "date", "message-id", "from", "subject", "date"]
        let signature = try DKIMSigner.signature(
            unsignedField: header, fields: fields, names: names, key: key, canonicalization: .relaxed)
        #expect(DKIMBase64.encode(signature) == vector["expected_b"])
    }

    @Test func signerOutputForTheAppendixMessageVerifies() async throws {
        let seed = try #require(DKIMBase64.decode(Corpus.text("rfc8463/ed25519.private.b64")))
        let key = try DKIMPrivateKey(ed25519Seed: seed)
        let message = try Corpus.buffer("rfc8463/unsigned.eml.txt")
        let signer = DKIMSigner(
            domain: "football.example.com", selector: "brisbane", key: key,
            headers: ["From", "To", "Subject", "Date", "Message-ID"], oversignedHeaders: ["from", "subject", "date"])
        let field = try signer.sign(message: message, time: 1_528_637_909)
        let unfolded = field.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;"))
        #expect(unfolded.contains("h=from:to:subject:date:message-id:from:subject:date;"))
        var signed = ByteBuffer(string: field)
        signed.writeImmutableBuffer(message)
        let verifier = DKIMVerifier(resolver: StaticDKIMKeyResolver(single: try Corpus.keys("rfc8463")))
        let results = await verifier.verify(message: signed, now: 1_528_637_909)
        #expect(results.map(\.status) == [.pass])
    }

    @Test func rsaKeyFromTheCorpusMatchesItsRecord() throws {
        let key = try DKIMPrivateKey(pem: Corpus.text("rfc8463/rsa.private.pem"))
        let record = try DKIMKeyRecord(
            parsing: try #require(Corpus.keys("rfc8463")["test._domainkey.football.example.com"]))
        #expect(key.keyType == .rsa)
        #expect(record.publicKey?.matches(key) == true)
    }
}
