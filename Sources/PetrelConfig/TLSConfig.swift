/// `[tls]`: the certificate for STARTTLS. Both empty: a self-signed certificate is generated.
public struct TLSConfig: Sendable, Equatable {
    /// Path of the PEM certificate chain.
    public var certificate: String
    /// Path of the PEM private key.
    public var privateKey: String

    public init(certificate: String, privateKey: String) {
        self.certificate = certificate
        self.privateKey = privateKey
    }

    public static let defaults = TLSConfig(certificate: "", privateKey: "")

    /// Whether a certificate was configured (otherwise one is generated).
    public var isConfigured: Bool { !certificate.isEmpty }

    init(reading reader: inout ConfigReader) throws(ConfigError) {
        let defaults = Self.defaults
        certificate = try reader.string("certificate", default: defaults.certificate)
        privateKey = try reader.string("private_key", default: defaults.privateKey)
        try reader.finish()
        if certificate.isEmpty && !privateKey.isEmpty {
            throw reader.error("certificate", "must be set when tls.private_key is set")
        }
        if !certificate.isEmpty && privateKey.isEmpty {
            throw reader.error("private_key", "must be set when tls.certificate is set")
        }
    }
}
