import COpenSSL

/// A self-signed certificate with a P-256 key, so that STARTTLS works out of
/// the box when no certificate is configured.
public struct SelfSignedCertificate: Sendable {
    public var certificatePEM: String
    public var privateKeyPEM: String

    /// Generates a certificate for `hostname` (subject CN and subjectAltName)
    /// valid for `days` days.
    public static func generate(hostname: String, days: Int = 3650) throws -> SelfSignedCertificate {
        var cert: UnsafeMutablePointer<CChar>?
        var key: UnsafeMutablePointer<CChar>?
        var certLength = 0
        var keyLength = 0
        let ok = petrel_self_signed(hostname, Int32(days), &cert, &certLength, &key, &keyLength)
        defer {
            petrel_free(cert)
            petrel_free(key)
        }
        guard ok == 1, let cert, let key else { throw CryptoError.certificate }
        return SelfSignedCertificate(certificatePEM: String(cString: cert), privateKeyPEM: String(cString: key))
    }
}
