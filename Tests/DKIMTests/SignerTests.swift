import NIOCore
import Testing

@testable import DKIM

@Suite struct SignerTests {
    static let algorithms: [DKIMAlgorithm] = [.rsaSHA256, .ed25519SHA256]
    static let canonicalizations: [DKIMCanonicalization] = [
        .relaxedRelaxed, .simpleSimple, DKIMCanonicalization(header: .relaxed, body: .simple),
        DKIMCanonicalization(header: .simple, body: .relaxed),
    ]

    private func verify(_ field: String, _ message: ByteBuffer, now: Int64 = 1_800_000_000) async
        -> [DKIMVerificationResult]
    {
        var signed = ByteBuffer(string: field)
        signed.writeImmutableBuffer(message)
        return await DKIMVerifier(resolver: TestKeys.resolver).verify(message: signed, now: now)
    }

    @Test(arguments: algorithms, canonicalizations)
    func everyShapeRoundTrips(algorithm: DKIMAlgorithm, canonicalization: DKIMCanonicalization) async throws {
        for shape in TestMessages.shapes {
            let message = TestMessages.buffer(shape)
            let before = message
            let field = try TestKeys.signer(algorithm, canonicalization).sign(message: message, time: 1_800_000_000)
            #expect(message == before, "signing must not touch the message")
            let results = await verify(field, message)
            #expect(results.map(\.status) == [.pass], "\(shape) \(algorithm) \(canonicalization): \(results)")
        }
    }

    /// One key signs from many threads at once (the prepared signing context is shared): every result is the
    /// one a single thread gets (both algorithms are deterministic).
    @Test(arguments: algorithms)
    func concurrentSigningMatchesSerial(algorithm: DKIMAlgorithm) async throws {
        let signer = TestKeys.signer(algorithm)
        let message = TestMessages.buffer("long-folded-headers")
        let expected = try signer.sign(message: message, time: 1_800_000_000)
        let fields = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try (0..<(algorithm == .rsaSHA256 ? 5 : 50)).map { _ in
                        try signer.sign(message: message, time: 1_800_000_000)
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(fields.count == (algorithm == .rsaSHA256 ? 40 : 400))
        #expect(fields.allSatisfy { $0 == expected })
    }

    @Test func fieldIsFoldedAndTerminated() throws {
        let field = try TestKeys.signer(.rsaSHA256).sign(message: TestMessages.buffer("long-folded-headers"), time: 1)
        #expect(field.hasPrefix("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=rsa;"))
        #expect(field.hasSuffix("\r\n") && !field.hasSuffix("\r\n\r\n"))
        let lines = field.dropLast(2).components(separatedBy: "\r\n")
        #expect(lines.count > 3)
        for line in lines {
            #expect(line.utf8.count <= 78, "\(line)")
        }
        for line in lines.dropFirst() {
            #expect(line.hasPrefix(" "))
        }
        #expect(field.contains(" t=1;"))
        #expect(!field.contains(" l="))
        #expect(!field.contains(" x="))
    }

    @Test func expirationAddsX() throws {
        var signer = TestKeys.signer(.ed25519SHA256)
        signer.expiration = 86_400
        let field = try signer.sign(message: TestMessages.buffer("plain"), time: 1_000)
        #expect(field.contains(" t=1000; x=87400;"))
    }

    @Test func overSignedHeaderNamesComeLast() throws {
        let signer = TestKeys.signer(.ed25519SHA256)
        let fields = TestMessages.buffer("long-folded-headers").withUnsafeReadableBytes { DKIMParsedMessage($0).fields }
        let names = signer.signedHeaderNames(for: fields)
        #expect(names.prefix(4) == ["from", "subject", "date", "to"])
        #expect(names.filter { $0 == "from" }.count == 2)
        #expect(names.filter { $0 == "reply-to" }.count == 1)  // absent but over-signed: none may be added
        #expect(!names.contains("x-long"))
        #expect(!names.contains("list-id"))  // absent and not over-signed
    }

    @Test(arguments: ["From: attacker@example.org\r\n", "Subject: Other\r\n", "Reply-To: x@example.org\r\n"])
    func addedOverSignedHeaderBreaksTheSignature(added: String) async throws {
        let message = TestMessages.buffer("plain")
        let field = try TestKeys.signer(.rsaSHA256).sign(message: message, time: 1_800_000_000)
        var tampered = ByteBuffer(string: added)
        tampered.writeImmutableBuffer(message)
        let results = await verify(field, tampered)
        #expect(results.map(\.status) == [.fail])
        #expect(results.first?.reason == "signature did not verify")
    }

    @Test func addedTraceHeaderKeepsTheSignature() async throws {
        let message = TestMessages.buffer("plain")
        let field = try TestKeys.signer(.rsaSHA256).sign(message: message, time: 1_800_000_000)
        let received = "Received: from relay.example.net by mx.example.org; Wed, 25 Nov 2026 15:20:00 +0000\r\n"
        let results = await verify(received + field, message)
        #expect(results.map(\.status) == [.pass])
    }

    @Test func dualSigningGivesTwoPasses() async throws {
        let message = TestMessages.buffer("utf8-body")
        let fields = try DKIMSigner.sign(
            message: message, with: [TestKeys.signer(.rsaSHA256), TestKeys.signer(.ed25519SHA256)], time: 1_800_000_000)
        let results = await verify(fields, message)
        #expect(results.map(\.status) == [.pass, .pass])
        #expect(results.map(\.algorithm) == ["rsa-sha256", "ed25519-sha256"])
    }

    @Test func messageWithoutFromIsRefused() {
        let message = ByteBuffer(string: "To: a@example.net\r\nSubject: x\r\n\r\nbody\r\n")
        #expect(throws: DKIMSigningError.noFrom) {
            try TestKeys.signer(.rsaSHA256).sign(message: message, time: 0)
        }
    }

    @Test func bareLineFeedMessagesSignAsCRLF() async throws {
        let lf = ByteBuffer(string: "From: a@example.com\nSubject: lf\n\nline one\nline two\n")
        let crlf = ByteBuffer(string: "From: a@example.com\r\nSubject: lf\r\n\r\nline one\r\nline two\r\n")
        let field = try TestKeys.signer(.ed25519SHA256).sign(message: lf, time: 1_800_000_000)
        let results = await verify(field, crlf)
        #expect(results.map(\.status) == [.pass])
    }

    @Test(arguments: [
        ("Joe <joe@Football.Example.COM>", "football.example.com"), ("joe@example.org", "example.org"),
        ("\"Doe, J\" <j@a.example>, other@b.example", "a.example"), ("undisclosed", nil),
    ])
    func fromDomain(from: String, expected: String?) {
        let message = ByteBuffer(string: "From: \(from)\r\n\r\n")
        #expect(DKIMSigner.fromDomain(of: message) == expected)
    }
}
