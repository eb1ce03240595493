import Campaigns
import Foundation
import NIOCore
import Queue
import Spool

/// Campaign messages go straight into the spool (group commit: a batch shares its fsyncs) and, once the
/// ledger has them, into the queue manager: no SMTP on the way.
struct SpoolCampaignSink: CampaignMessageSink {
    let spool: Spool
    /// Nil when delivery is off: messages stay in the spool.
    let manager: QueueManager?
    /// DKIM fields for a message (nil: unsigned), as at SMTP acceptance.
    var sign: (@Sendable (ByteBuffer, String?) -> String?)?

    func makeQueueID() -> String { QueueID.generate().description }

    func store(_ messages: [CampaignMessage]) async throws {
        let sign = self.sign
        try await withThrowingTaskGroup(of: Void.self) { group in
            for message in messages {
                guard let id = QueueID(message.queueID) else { continue }
                var envelope = SpoolEnvelope(
                    sender: message.sender, recipients: [SpoolRecipient(address: message.recipient)], arrival: .now)
                envelope.attributes["campaign"] = "c\(message.campaignID)"
                var body = ByteBuffer(bytes: message.body)
                if let sign, let fields = sign(body, nil) {
                    var signed = ByteBuffer(string: fields)
                    signed.writeBuffer(&body)
                    body = signed
                }
                let spool = self.spool
                group.addTask {
                    let _: QueueID = try await withCheckedThrowingContinuation { continuation in
                        spool.append(id: id, envelope: envelope, body: body) { continuation.resume(with: $0) }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    func release(queueIDs: [String]) async {
        guard let manager else { return }
        await manager.enqueue(contentsOf: queueIDs.compactMap { QueueID($0).flatMap(spool.message) })
    }

    func isSpooled(queueID: String) -> Bool {
        QueueID(queueID).flatMap { spool.message($0) } != nil
    }
}
