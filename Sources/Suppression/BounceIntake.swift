import Bounces
import Foundation

/// Turns a message received for a bounce domain into suppression decisions: parses it (DSN, provider
/// bounce, ARF report), lets a verified VERP address say who bounced, and applies the policy.
public struct BounceIntake: Sendable {
    /// The recipients of queued message `queueID` as delivered (the delivery log), to map VERP tokens back.
    public typealias RecipientsOfMessage = @Sendable (_ queueID: String) async throws -> [String]

    public let recorder: SuppressionRecorder
    public let verp: VERPCodec?
    let recipientsOf: RecipientsOfMessage

    public init(recorder: SuppressionRecorder, verp: VERPCodec?, recipientsOf: @escaping RecipientsOfMessage) {
        self.recorder = recorder
        self.verp = verp
        self.recipientsOf = recipientsOf
    }

    /// One applied result.
    public struct Result: Sendable, Hashable {
        public var record: BounceRecord
        public var decision: SuppressionDecision
        /// The recipient came from a verified VERP token rather than from the message body.
        public var viaVERP: Bool
    }

    /// Processes a message that arrived for `envelopeRecipients` (addresses at a bounce domain).
    /// `source` names it in the entries (its queue id). An empty result: not a bounce.
    public func process(_ bytes: [UInt8], envelopeRecipients: [String], source: String, time: Date = Date())
        async throws -> [Result]
    {
        var records = BounceParser.parse(bytes)
        let tokens = envelopeRecipients.compactMap { verp?.decode($0) }
        guard let token = tokens.first else { return try apply(records, viaVERP: false, source: source, time: time) }
        if records.isEmpty {
            // A DSN whose report names no recipient (RFC 3464 requires Final-Recipient, not every MTA
            // writes one): the token can still say who.
            guard token.recipientTag != 0, let fallback = BounceParser.unnamedRecipientRecord(bytes) else { return [] }
            records = [fallback]
        }
        let delivered = try await recipientsOf(token.queueID)
        // The token's recipient: one the message was delivered to, or one the bounce names, with the tag.
        let named =
            delivered.first(where: token.names) ?? records.map(\.recipient).first(where: token.names)
        if let recipient = named {
            // One recipient per delivery: the token says who, whatever the body says.
            var record =
                records.first { $0.recipient.lowercased() == recipient.lowercased() }
                ?? records.first { !$0.action.lowercased().hasPrefix("delivered") } ?? records[0]
            record.recipient = recipient.lowercased()
            return try apply([record], viaVERP: true, source: source, time: time)
        }
        if token.recipientTag == 0, !delivered.isEmpty {
            // A whole-message token: trust only recipients that message really had.
            let known = Set(delivered.map { $0.lowercased() })
            records = records.filter { known.contains($0.recipient.lowercased()) }
            return try apply(records, viaVERP: true, source: source, time: time)
        }
        // The token verified but its message and recipient are no longer known: the body alone counts.
        records.removeAll { $0.recipient.isEmpty }
        return try apply(records, viaVERP: false, source: source, time: time)
    }

    private func apply(_ records: [BounceRecord], viaVERP: Bool, source: String, time: Date) throws -> [Result] {
        var results: [Result] = []
        for record in records {
            let decision = try recorder.apply(record, source: source, time: time)
            results.append(Result(record: record, decision: decision, viaVERP: viaVERP))
        }
        return results
    }
}
