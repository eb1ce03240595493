import NIOCore
import SMTPCore
import SMTPServer
import Spool

/// Stores accepted SMTP messages in the spool; calls back once they are on
/// stable storage, so that the 250 follows the fsync.
struct SpoolSink: MessageSink {
    let spool: Spool
    /// Called with the id of every message once it is stored.
    var onStored: @Sendable (QueueID) -> Void = { _ in }

    func makeQueueID() -> String { QueueID.generate().description }

    func accept(_ message: AcceptedMessage, completion: @escaping @Sendable (Result<Void, Error>) -> Void) {
        let id = QueueID(message.queueID) ?? QueueID.generate()
        let onStored = self.onStored
        spool.append(id: id, envelope: Self.envelope(of: message), body: message.body) { result in
            completion(result.map { _ in () })
            if case .success(let stored) = result { onStored(stored) }
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
            sender: message.sender.text, recipients: recipients, arrival: .now)
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
        return envelope
    }
}

extension ReversePath {
    /// The path without brackets; empty for the null path.
    var text: String {
        switch self {
        case .null: ""
        case .mailbox(let mailbox): mailbox.description
        }
    }
}
