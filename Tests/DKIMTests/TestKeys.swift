import Testing

@testable import DKIM

/// Keys generated once per test process (RSA generation takes tens of milliseconds).
enum TestKeys {
    static let rsa = try! DKIMPrivateKey.generateRSA(bits: 2048)
    static let ed25519 = try! DKIMPrivateKey.generateEd25519()

    static func key(_ algorithm: DKIMAlgorithm) -> DKIMPrivateKey {
        algorithm == .ed25519SHA256 ? ed25519 : rsa
    }

    /// A resolver publishing both keys under example.com, selectors "rsa" and "ed".
    static var resolver: StaticDKIMKeyResolver {
        StaticDKIMKeyResolver(single: [
            "rsa._domainkey.example.com": rsa.keyRecordText, "ed._domainkey.example.com": ed25519.keyRecordText,
        ])
    }

    static func signer(
        _ algorithm: DKIMAlgorithm, _ canonicalization: DKIMCanonicalization = .relaxedRelaxed
    ) -> DKIMSigner {
        DKIMSigner(
            domain: "example.com", selector: algorithm == .ed25519SHA256 ? "ed" : "rsa", key: key(algorithm),
            canonicalization: canonicalization)
    }
}
