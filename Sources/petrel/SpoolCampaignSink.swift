import Campaigns
import Foundation
import NIOConcurrencyHelpers
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
        let spool = self.spool
        var records: [(QueueID, SpoolEnvelope, ByteBuffer)] = []
        records.reserveCapacity(messages.count)
        for message in messages {
            guard let id = QueueID(message.queueID) else { continue }
            var envelope = SpoolEnvelope(
                sender: message.sender, recipients: [SpoolRecipient(address: message.recipient)], arrival: .now)
            envelope.attributes["campaign"] = "c\(message.campaignID)"
            records.append(
                (id, envelope, DKIMSigningSetup.signed(ByteBuffer(bytes: message.body), tenant: nil, by: sign)))
        }
        guard !records.isEmpty else { return }
        // One continuation for the batch: resumed when the last record is on stable storage (or at the first
        // error), not a task per message.
        let state = NIOLockedValueBox((remaining: records.count, failed: false))
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            for (id, envelope, body) in records {
                spool.append(id: id, envelope: envelope, body: body) { result in
                    let resume: Result<Void, Error>? = state.withLockedValue { state in
                        guard !state.failed else { return nil }
                        if case .failure(let error) = result {
                            state.failed = true
                            return .failure(error)
                        }
                        state.remaining -= 1
                        return state.remaining == 0 ? .success(()) : nil
                    }
                    if let resume { continuation.resume(with: resume) }
                }
            }
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
