import Testing

@testable import DKIM

@Suite struct SigningPolicyTests {
    private let rsaA = DKIMSigningPolicy.SelectorKey(selector: "rsa-a", key: TestKeys.rsa)
    private let rsaB = DKIMSigningPolicy.SelectorKey(selector: "rsa-b", key: TestKeys.rsa)
    private let edA = DKIMSigningPolicy.SelectorKey(selector: "ed-a", key: TestKeys.ed25519)

    private var policy: DKIMSigningPolicy {
        DKIMSigningPolicy(
            domains: [
                .init(
                    name: "Example.COM.",
                    keys: [.init(active: rsaA, next: rsaB, switchAt: 2_000), .init(active: edA)]),
                .init(name: "acme.example", keys: [.init(active: edA)]),
            ],
            tenantDomains: ["acme": "acme.example"], expiration: 3600)
    }

    @Test func dualSigningByFromDomain() {
        let signers = policy.signers(fromDomain: "example.com", at: 1_000)
        #expect(signers.map(\.selector) == ["rsa-a", "ed-a"])
        #expect(signers.map(\.domain) == ["example.com", "example.com"])
        #expect(signers.map(\.algorithm) == [.rsaSHA256, .ed25519SHA256])
        #expect(signers.allSatisfy { $0.expiration == 3600 })
    }

    @Test func rotationSwitchesAtTheConfiguredInstant() {
        #expect(policy.signers(fromDomain: "example.com", at: 1_999).first?.selector == "rsa-a")
        #expect(policy.signers(fromDomain: "example.com", at: 2_000).first?.selector == "rsa-b")
    }

    @Test func tenantSignsWithItsOwnDomain() {
        let signers = policy.signers(fromDomain: "example.com", tenant: "acme", at: 0)
        #expect(signers.map(\.domain) == ["acme.example"])
        #expect(policy.signers(fromDomain: "example.com", tenant: "unknown", at: 0).count == 2)
    }

    @Test func subdomainsUseTheClosestParentButNeverATLD() {
        #expect(policy.signers(fromDomain: "news.mail.example.com", at: 0).first?.domain == "example.com")
        #expect(policy.signers(fromDomain: "example.net", at: 0).isEmpty)
        #expect(policy.signers(fromDomain: nil, at: 0).isEmpty)
        var strict = policy
        strict.matchParentDomains = false
        #expect(strict.signers(fromDomain: "news.example.com", at: 0).isEmpty)
    }

    @Test func keyCheckFindsMismatches() {
        #expect(DKIMKeyCheck(record: TestKeys.rsa.keyRecordText, key: TestKeys.rsa).findings.isEmpty)
        let other = DKIMKeyCheck(record: TestKeys.ed25519.keyRecordText, key: TestKeys.rsa)
        #expect(!other.matches)
        #expect(other.findings.map(\.description).contains("error: record has k=ed25519, the key is rsa"))
        let revoked = DKIMKeyCheck(record: "v=DKIM1; k=rsa; p=", key: TestKeys.rsa)
        #expect(revoked.findings.map(\.message) == ["record p= is empty: the key is revoked"])
        let testing = DKIMKeyCheck(record: TestKeys.rsa.keyRecordText + "; t=y", key: TestKeys.rsa)
        #expect(testing.matches && testing.findings.count == 1)
        let malformed = DKIMKeyCheck(record: "v=DKIM1; k=rsa; p=@@", key: TestKeys.rsa)
        #expect(malformed.findings.map(\.message) == ["key record p= is not valid base64"])
    }
}
