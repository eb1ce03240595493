import Bounces
import Campaigns
import Foundation
import Logging
import PetrelConfig
import Queue
import Storage
import Suppression

/// The suppression list, its policy and bounce intake, wired from configuration.
struct SuppressionSetup: Sendable {
    let store: SuppressionStore
    let recorder: SuppressionRecorder
    let verp: VERPCodec?

    init(config: PetrelConfiguration, database: PetrelDatabase, createKey: Bool) throws {
        let settings = config.suppression
        store = try SuppressionStore(database: database, normalization: Self.normalization(config: config))
        let contacts = ContactStore(database: database, normalization: Self.normalization(config: config))
        recorder = SuppressionRecorder(
            store: store,
            policy: SuppressionPolicy(
                hardBounces: settings.hardBounce, softBounceLimit: settings.softBounceLimit,
                softBounceWindow: TimeInterval(settings.softBounceWindow.components.seconds),
                complaints: settings.complaint),
            onSuppressed: { entry in _ = try? contacts.apply(entry) })
        if let domain = config.bounces.domains.first {
            let key = try Self.verpKey(config: config, create: createKey)
            verp = key.map { VERPCodec(prefix: config.bounces.verpPrefix, domain: domain, key: $0) }
        } else {
            verp = nil
        }
    }

    /// How addresses compare (`[suppression] fold_case`, `fold_plus_tags`), for the list and the contacts alike.
    static func normalization(config: PetrelConfiguration) -> AddressNormalization {
        AddressNormalization(foldCase: config.suppression.foldCase, foldPlusTags: config.suppression.foldPlusTags)
    }

    /// The petrel.sqlite of the data directory.
    static func database(config: PetrelConfiguration) throws -> PetrelDatabase {
        try FileManager.default.createDirectory(atPath: config.server.dataDirectory, withIntermediateDirectories: true)
        return try PetrelDatabase(
            path: (config.server.dataDirectory as NSString).appendingPathComponent("petrel.sqlite"))
    }

    /// The VERP key: read from its file, or (serving) created there on first start.
    static func verpKey(config: PetrelConfiguration, create: Bool) throws -> [UInt8]? {
        try secretKey(
            file: config.bounces.verpKeyFile, default: "verp.key", config: config, create: create, label: "VERP")
    }

    /// A 32-byte HMAC key: read from `file` (empty: `name` in the data directory), or created there when
    /// `create` and it does not exist.
    static func secretKey(file: String, default name: String, config: PetrelConfiguration, create: Bool, label: String)
        throws -> [UInt8]?
    {
        let path = file.isEmpty ? (config.server.dataDirectory as NSString).appendingPathComponent(name) : file
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count >= 16 else {
                throw SetupError("\(label) key file \(path) holds \(data.count) bytes, not 32")
            }
            return [UInt8](data)
        }
        guard create else { return nil }
        let key = VERPCodec.generateKey()
        guard FileManager.default.createFile(atPath: path, contents: Data(key), attributes: [.posixPermissions: 0o600])
        else { throw SetupError("cannot write \(label) key file \(path)") }
        return key
    }

    struct SetupError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

/// The queue's view of the list: why an address must not be attempted.
struct StoreSuppression: RecipientSuppression {
    let store: SuppressionStore
    let logger: Logger

    func suppressionReason(for address: String) -> String? {
        do {
            guard let entry = try store.lookup(address) else { return nil }
            return "recipient address suppressed: \(entry.kind.rawValue) (\(entry.reason)) since "
                + entry.time.formatted(.iso8601)
        } catch {
            // The index said listed and the database cannot confirm: a busy or broken database must not fail
            // mail for good, so the attempt goes ahead and the error is logged.
            logger.error("suppression lookup failed", metadata: ["address": "\(address)", "error": "\(error)"])
            return nil
        }
    }
}
