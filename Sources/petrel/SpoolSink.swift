import MailMessage
import NIOCore
import NIOPosix
import SMTPCore
import SMTPServer
import Spool

/// Stores accepted SMTP messages in the spool; calls back once they are on
/// stable storage, so that the 250 follows the fsync.
struct SpoolSink: MessageSink {
    let spool: Spool
    /// Called with the id of every message once it is stored.
    var onStored: @Sendable (QueueID) -> Void = { _ in }
    /// DKIM: the signature fields for a message (sign once, at acceptance;
    /// the stored bytes are the delivered bytes). Runs on `signingPool`.
    var sign: (@Sendable (ByteBuffer, String?) -> String?)?
    var signingPool: NIOThreadPool?
    /// Counts every stored message (`GET /api/v1/metrics`).
    var metrics: ServerMetrics?

    func makeQueueID() -> String { QueueID.generate().description }

    func accept(_ message: AcceptedMessage, completion: @escaping @Sendable (Result<Void, Error>) -> Void) {
        let id = QueueID(message.queueID) ?? QueueID.generate()
        let onStored = self.onStored
        let spool = self.spool
        let metrics = self.metrics
        let envelope = Self.envelope(of: message)
        let store: @Sendable (ByteBuffer) -> Void = { body in
            let size = body.readableBytes
            spool.append(id: id, envelope: envelope, body: body) { result in
                completion(result.map { _ in () })
                if case .success(let stored) = result {
                    metrics?.accepted(bytes: size)
                    onStored(stored)
                }
            }
        }
        guard let sign, let signingPool else {
            store(message.body)
            return
        }
        // RSA signing takes about a millisecond: off the event loop.
        let body = message.body
        signingPool.submit { _ in
            store(DKIMSigningSetup.signed(body, tenant: envelope.attributes["tenant"], by: sign))
        }
    }

    static func envelope(of message: AcceptedMessage) -> SpoolEnvelope {
        let recipients = message.recipients.map { recipient in
            SpoolRecipient(
                address: recipient.address,
                orcpt: recipient.parameters.orcpt.map { "\($0.addressType);\($0.address)" },
                notify: recipient.parameters.notify.map { UInt8(truncatingIfNeeded: $0.rawValue) } ?? 0)
        }
        var envelope = SpoolEnvelope(
            sender: message.sender.address, recipients: recipients, arrival: .now)
        envelope.bodyType = message.mailParameters.body?.rawValue
        envelope.smtpUTF8 = message.mailParameters.smtpUTF8
        envelope.requireTLS = message.mailParameters.requireTLS
        envelope.envid = message.mailParameters.envid
        envelope.ret = message.mailParameters.ret?.rawValue
        envelope.messageID = message.messageID
        envelope.clientAddress = message.clientAddress
        envelope.heloName = message.heloName
        envelope.authUser = message.authUser
        envelope.listener = message.listener
        // Tenant and campaign pick the scheduled queue, the egress pool, routes and the DKIM domain:
        // from X-Tenant-ID / X-Campaign-ID when the message names them, the tenant else from AUTH.
        if let tenant = HeaderBlock.firstValue(of: "X-Tenant-ID", in: message.body).flatMap(Self.label)
            ?? message.authUser.flatMap(Self.label)
        {
            envelope.attributes["tenant"] = tenant
        }
        if let campaign = HeaderBlock.firstValue(of: "X-Campaign-ID", in: message.body).flatMap(Self.label) {
            envelope.attributes["campaign"] = campaign
        }
        return envelope
    }

    /// A tenant or campaign name as it may key queues and configuration: 1 to 64 of A-Z a-z 0-9 . _ -;
    /// anything else is ignored.
    static func label(_ text: String) -> String? {
        let valid = text.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        return valid && !text.isEmpty && text.utf8.count <= 64 ? text : nil
    }
}
