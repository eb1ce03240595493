import Foundation
import Logging
import NIOSSL
import PetrelConfig
import PetrelCrypto

/// The server certificate: the configured one, or a self-signed one made on
/// first start under `<data_directory>/tls/` and reused afterwards.
enum TLSMaterial {
    static func serverContext(config: PetrelConfiguration, hostname: String, logger: Logger) throws -> NIOSSLContext {
        var certificatePath = config.tls.certificate
        var keyPath = config.tls.privateKey
        if certificatePath.isEmpty {
            let directory = (config.server.dataDirectory as NSString).appendingPathComponent("tls")
            certificatePath = (directory as NSString).appendingPathComponent("selfsigned-cert.pem")
            keyPath = (directory as NSString).appendingPathComponent("selfsigned-key.pem")
            if !FileManager.default.fileExists(atPath: certificatePath)
                || !FileManager.default.fileExists(atPath: keyPath)
            {
                try generate(
                    directory: directory, certificatePath: certificatePath, keyPath: keyPath, hostname: hostname)
                logger.notice("generated a self-signed certificate for \(hostname) in \(directory)")
            }
        }
        let chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        return try NIOSSLContext(configuration: configuration)
    }

    private static func generate(directory: String, certificatePath: String, keyPath: String, hostname: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let generated = try SelfSignedCertificate.generate(hostname: hostname)
        try Data(generated.certificatePEM.utf8).write(to: URL(fileURLWithPath: certificatePath))
        _ = FileManager.default.createFile(
            atPath: keyPath, contents: Data(generated.privateKeyPEM.utf8), attributes: [.posixPermissions: 0o600])
    }
}
