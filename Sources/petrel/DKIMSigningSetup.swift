import DKIM
import Foundation
import Logging
import NIOCore
import PetrelConfig

/// Builds the signing policy from `[dkim]`, reading every key file at
/// start-up so that a bad key stops the server with a message naming it.
enum DKIMSigningSetup {
    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    static func policy(from config: DKIMConfig) throws -> DKIMSigningPolicy? {
        guard !config.domains.isEmpty else { return nil }
        let parts = config.canonicalization.split(separator: "/")
        let canonicalization = DKIMCanonicalization(
            header: parts.first == "simple" ? .simple : .relaxed, body: parts.last == "simple" ? .simple : .relaxed)
        var policy = DKIMSigningPolicy(
            tenantDomains: config.tenants, canonicalization: canonicalization,
            headers: config.headers.isEmpty ? DKIMSigner.defaultHeaders : config.headers,
            oversignedHeaders: config.oversign.isEmpty ? DKIMSigner.defaultOversignedHeaders : Set(config.oversign),
            expiration: config.expiration.map { Int64($0.components.seconds) })
        for domain in config.domains {
            var keys: [DKIMSigningPolicy.RotatingKey] = []
            for key in domain.keys {
                let active = DKIMSigningPolicy.SelectorKey(selector: key.selector, key: try load(key.keyFile))
                var next: DKIMSigningPolicy.SelectorKey?
                if let selector = key.nextSelector, let file = key.nextKeyFile {
                    next = DKIMSigningPolicy.SelectorKey(selector: selector, key: try load(file))
                }
                keys.append(
                    DKIMSigningPolicy.RotatingKey(
                        active: active, next: next, switchAt: key.switchAt.map { Int64($0.timeIntervalSince1970) }))
            }
            policy.add(DKIMSigningPolicy.Domain(name: domain.name, keys: keys))
        }
        return policy
    }

    private static func load(_ path: String) throws -> DKIMPrivateKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SetupError(description: "dkim: cannot read key file \(path)")
        }
        do {
            return try DKIMPrivateKey(pem: String(decoding: data, as: UTF8.self))
        } catch {
            throw SetupError(description: "dkim: key file \(path): \(error)")
        }
    }

    /// The DKIM-Signature fields for a message, or nil when no configured
    /// domain signs for its From domain (or tenant).
    static func signer(policy: DKIMSigningPolicy, logger: Logger) -> @Sendable (ByteBuffer, String?) -> String? {
        { message, tenant in
            let signers = policy.signers(
                fromDomain: DKIMSigner.fromDomain(of: message), tenant: tenant,
                at: Int64(Date().timeIntervalSince1970))
            guard !signers.isEmpty else { return nil }
            do {
                return try DKIMSigner.sign(message: message, with: signers, time: Int64(Date().timeIntervalSince1970))
            } catch {
                logger.error("DKIM signing failed, message sent unsigned: \(error)")
                return nil
            }
        }
    }

    /// `body` with the signature fields `sign` makes for it put in front (sign once, at acceptance: the
    /// stored bytes are the delivered bytes), or `body` itself when nothing signs it.
    static func signed(_ body: ByteBuffer, tenant: String?, by sign: (@Sendable (ByteBuffer, String?) -> String?)?)
        -> ByteBuffer
    {
        guard let sign, let fields = sign(body, tenant) else { return body }
        var signed = ByteBuffer(string: fields)
        var rest = body
        signed.writeBuffer(&rest)
        return signed
    }
}
