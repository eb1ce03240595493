import Foundation
import NIOCore
import Testing

@testable import DKIM

/// Every signed message in the corpus gives its expected result (expected.json; "either" accepts pass or fail
/// outcomes that the RFC leaves to the implementation).
@Suite struct CorpusVerificationTests {
    static let folders = [
        "rfc8463", "third_party/dkimpy", "third_party/go-msgauth", "third_party/mox", "third_party/opendkim",
    ]

    @Test(arguments: folders)
    func folderVerifiesAsExpected(folder: String) async throws {
        let resolver = StaticDKIMKeyResolver(single: try Corpus.keys(folder))
        // The OpenDKIM vectors include rsa-sha1 (RFC 8301 forbids it, so it is off by default) and one i= subdomain
        // under a t=s key (t-test81), which OpenDKIM and dkimpy pass; verify them the way those tools do.
        let verifier = DKIMVerifier(
            resolver: resolver, options: .init(allowSHA1: true, enforceStrictIdentity: false))
        let expectations = try Corpus.expectations(folder)
        let files = try Corpus.emlFiles(folder)
        #expect(!files.isEmpty)
        for file in files {
            let results = await verifier.verify(message: try Corpus.buffer(folder + "/" + file), now: 1_700_000_000)
            let statuses = results.map(\.status.rawValue)
            let expected = expectations[file] ?? ["pass"]
            let detail = "\(folder)/\(file): \(results.map(\.authenticationResultsValue))"
            if expected == ["either"] {
                #expect(results.count == 1, "\(detail)")
                continue
            }
            if expected == ["none"] {
                #expect(results.isEmpty, "\(detail)")
                continue
            }
            if expected.count == 1 {
                #expect(!statuses.isEmpty && statuses.allSatisfy { $0 == expected[0] }, "\(detail)")
            } else {
                #expect(statuses == expected, "\(detail)")
            }
        }
    }

    @Test func opendkimSHA1VectorsAreRefusedByDefault() async throws {
        let resolver = StaticDKIMKeyResolver(single: try Corpus.keys("third_party/opendkim"))
        let verifier = DKIMVerifier(resolver: resolver)
        let results = await verifier.verify(message: try Corpus.buffer("third_party/opendkim/t-test00.eml"), now: 0)
        #expect(results.map(\.status) == [.neutral])
        #expect(results.first?.reason?.contains("RFC 8301") == true)
    }

    @Test func strictIdentityFlagIsEnforcedByDefault() async throws {
        let resolver = StaticDKIMKeyResolver(single: try Corpus.keys("third_party/opendkim"))
        let verifier = DKIMVerifier(resolver: resolver, options: .init(allowSHA1: true))
        let results = await verifier.verify(message: try Corpus.buffer("third_party/opendkim/t-test81.eml"), now: 0)
        #expect(results.map(\.status) == [.permerror])
        #expect(results.first?.reason == "key t=s forbids an i= subdomain")
    }

    @Test func opendkimRecordFlagsAreReported() async throws {
        let resolver = StaticDKIMKeyResolver(single: try Corpus.keys("third_party/opendkim"))
        let verifier = DKIMVerifier(resolver: resolver, options: .init(allowSHA1: true))
        let results = await verifier.verify(message: try Corpus.buffer("third_party/opendkim/t-test00.eml"), now: 0)
        #expect(results.first?.notes.contains("key in testing mode (t=y)") == true)
    }
}
