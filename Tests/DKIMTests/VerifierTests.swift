import NIOCore
import Testing

@testable import DKIM

@Suite struct VerifierTests {
    private let now: Int64 = 1_800_000_000

    private func signed(
        _ signer: DKIMSigner = TestKeys.signer(.rsaSHA256), shape: String = "plain", time: Int64 = 1_800_000_000
    ) throws -> String {
        try signer.sign(message: TestMessages.buffer(shape), time: time) + TestMessages.message(shape)
    }

    private func verify(
        _ text: String, resolver: StaticDKIMKeyResolver = TestKeys.resolver
    ) async -> [DKIMVerificationResult] {
        await DKIMVerifier(resolver: resolver).verify(message: ByteBuffer(string: text), now: now)
    }

    @Test func unsignedMessageGivesNoResults() async {
        let results = await verify(TestMessages.message("plain"))
        #expect(results.isEmpty)
        #expect(
            AuthenticationResults.value(authservID: "mx.example.org", results: results)
                == "mx.example.org;\r\n\tdkim=none")
    }

    @Test func modifiedBodyFailsOnTheBodyHash() async throws {
        let text = try signed().replacingOccurrences(of: "this is a test.", with: "this is a tost.")
        let results = await verify(text)
        #expect(results.map(\.status) == [.fail])
        #expect(results.first?.reason == "body hash did not verify")
    }

    @Test func expiredSignatureFails() async throws {
        var signer = TestKeys.signer(.ed25519SHA256)
        signer.expiration = 60
        let results = await verify(try signed(signer, time: now - 3600))
        #expect(results.map(\.status) == [.fail])
        #expect(results.first?.reason == "signature expired")
    }

    @Test func missingKeyIsPermerror() async throws {
        let results = await verify(try signed(), resolver: StaticDKIMKeyResolver())
        #expect(results.map(\.status) == [.permerror])
        #expect(results.first?.reason == "no key for signature")
    }

    @Test func failingLookupIsTemperror() async throws {
        let resolver = StaticDKIMKeyResolver(failingNames: ["rsa._domainkey.example.com"])
        let results = await verify(try signed(), resolver: resolver)
        #expect(results.map(\.status) == [.temperror])
    }

    @Test(arguments: [
        ("v=DKIM1; k=rsa; p=", "key revoked"),
        (
            "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
            "key type k=ed25519 does not match a=rsa-sha256"
        ),
        ("v=DKIM2; p=AAAA", "key record has v=DKIM2, not DKIM1"),
        ("v=DKIM1; k=dsa; p=AAAA", "key record has unknown key type k=dsa"),
        ("v=DKIM1; p=!!!", "key record p= is not valid base64"),
        ("v=DKIM1; k=rsa", "key record lacks p="),
    ])
    func unusableKeyRecordIsPermerror(record: String, reason: String) async throws {
        let resolver = StaticDKIMKeyResolver(single: ["rsa._domainkey.example.com": record])
        let results = await verify(try signed(), resolver: resolver)
        #expect(results.map(\.status) == [.permerror])
        #expect(results.first?.reason == reason)
    }

    @Test func keyRecordRestrictionsApply() async throws {
        let base = TestKeys.rsa.keyRecordText
        for (record, reason) in [
            (base + "; h=sha1", "key h= does not allow sha256"), (base + "; s=other", "key s= does not allow email"),
        ] {
            let resolver = StaticDKIMKeyResolver(single: ["rsa._domainkey.example.com": record])
            let results = await verify(try signed(), resolver: resolver)
            #expect(results.first?.reason == reason)
        }
    }

    @Test(arguments: [
        ("v=2;", "unsupported signature version v=2"),
        ("a=rsa-sha512;", "unsupported algorithm a=rsa-sha512"),
        ("c=fancy/simple;", "unsupported canonicalization c=fancy/simple"),
        ("h=to:subject;", "From is not in h="),
        ("i=@other.example;", "i= is not in the d= domain or a subdomain of it"),
        ("q=http/well-known;", "unsupported query method q=http/well-known"),
        ("d=example.com;", "signature syntax error: duplicate tag d="),
    ])
    func malformedSignatureIsNeutral(replacement: String, reason: String) async throws {
        let tag = String(replacement.prefix { $0 != "=" })
        var text = try signed()
        if let range = text.range(of: " \(tag)=[^;]*;", options: .regularExpression) {
            text.replaceSubrange(range, with: " " + replacement)
        } else {
            text = text.replacingOccurrences(of: "v=1;", with: "v=1; " + replacement)
        }
        if tag == "d" {
            text = text.replacingOccurrences(of: "v=1;", with: "v=1; d=example.com;")
        }
        let results = await verify(text)
        #expect(results.map(\.status) == [.neutral], "\(text)")
        #expect(results.first?.reason == reason)
    }

    @Test func missingRequiredTagIsNeutral() async {
        let text =
            "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=rsa; h=from; b=AAAA\r\n"
            + TestMessages.message("plain")
        let results = await verify(text)
        #expect(results.map(\.status) == [.neutral])
        #expect(results.first?.reason == "signature lacks the required bh= tag")
        #expect(results.first?.domain == "example.com")
    }

    @Test func bodyLengthIsAcceptedButNoted() async throws {
        // A hand-made l= signature: sign the first 9 canonical octets ("Hello,\r\n" is 8, plus one).
        let message = TestMessages.buffer("plain")
        let signer = TestKeys.signer(.ed25519SHA256)
        let fields = message.withUnsafeReadableBytes { DKIMParsedMessage($0).fields }
        let bodyOffset = message.withUnsafeReadableBytes { DKIMParsedMessage($0).bodyOffset }
        let body = message.getSlice(at: bodyOffset, length: message.readableBytes - bodyOffset)!
        let bodyHash = body.withUnsafeReadableBytes { DKIMBodyCanonicalizer.hash(body: $0, .relaxed, limit: 9).digest }
        let names = signer.signedHeaderNames(for: fields)
        let unsigned =
            "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=example.com; s=ed; l=9;\r\n h="
            + names.joined(separator: ":") + "; bh=" + DKIMBase64.encode(bodyHash) + "; b="
        let signature = try DKIMSigner.signature(
            unsignedField: unsigned, fields: fields, names: names, key: TestKeys.ed25519, canonicalization: .relaxed)
        let text = unsigned + DKIMBase64.encode(signature) + "\r\n" + TestMessages.message("plain")
        let results = await verify(text)
        #expect(results.map(\.status) == [.pass])
        #expect(results.first?.notes == ["l=9 signs 9 of 27 body octets"])
        let appended = await verify(text + "Appended by someone else.\r\n")
        #expect(appended.map(\.status) == [.pass])
        let tooLong = await verify(text.replacingOccurrences(of: "l=9;", with: "l=999;"))
        #expect(tooLong.first?.reason == "l=999 exceeds the body length 27")
    }

    @Test func eachSignatureIsReportedTopToBottom() async throws {
        let message = TestMessages.message("plain")
        let good = try TestKeys.signer(.ed25519SHA256).sign(message: TestMessages.buffer("plain"), time: now)
        let other = DKIMSigner(domain: "example.org", selector: "gone", key: TestKeys.rsa)
        let missing = try other.sign(message: TestMessages.buffer("plain"), time: now)
        let results = await verify(missing + good + message)
        #expect(results.map(\.status) == [.permerror, .pass])
        let value = AuthenticationResults.value(authservID: "mx.example.org", results: results)
        #expect(
            value.hasPrefix(
                "mx.example.org;\r\n\tdkim=permerror reason=\"no key for signature\" header.d=example.org header.s=gone header.i=@example.org header.a=rsa-sha256 header.b="
            ))
        #expect(
            value.contains(
                ";\r\n\tdkim=pass header.d=example.com header.s=ed header.i=@example.com header.a=ed25519-sha256 header.b="
            ))
    }

    @Test func signatureCountIsBounded() async throws {
        let one = try TestKeys.signer(.ed25519SHA256).sign(message: TestMessages.buffer("plain"), time: now)
        let text = String(repeating: one, count: 12) + TestMessages.message("plain")
        let results = await verify(text)
        #expect(results.count == 10)
    }

    @Test func headerBValueIsQuotedWhenItHasSpecials() {
        let result = DKIMVerificationResult(status: .pass, domain: "example.com", signaturePrefix: "ab/c+d=e")
        #expect(result.authenticationResultsValue == "dkim=pass header.d=example.com header.b=\"ab/c+d=e\"")
    }
}
