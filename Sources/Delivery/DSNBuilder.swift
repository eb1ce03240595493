import Foundation
import MailMessage
import NIOCore
import Queue
import Spool

/// Builds delivery status notifications: RFC 3464 multipart/report
/// (RFC 6522) with a human-readable part, the machine-readable
/// message/delivery-status part and the returned message or its headers.
public struct DSNBuilder: Sendable {
    public enum Kind: Sendable { case failure, delay }

    /// Reporting-MTA and the MAILER-DAEMON domain.
    public var hostname: String
    /// Returned messages larger than this are returned as headers only.
    public var returnLimit: Int

    public init(hostname: String, returnLimit: Int = 1 << 20) {
        self.hostname = hostname
        self.returnLimit = returnLimit
    }

    /// Which of `recipients` asked to hear about this (RFC 3461 §4.1): by
    /// default failures only; NOTIFY=NEVER nothing.
    public static func wantsNotice(_ recipient: SpoolRecipient, kind: Kind) -> Bool {
        let notify = recipient.notify
        if notify & 8 != 0 { return false }
        switch kind {
        case .failure: return notify == 0 || notify & 2 != 0
        case .delay: return notify & 4 != 0
        }
    }

    /// The notice for `recipients` of `message`, or nil when none is due: a
    /// null sender never gets one (RFC 5321 §4.5.5), nor do recipients that
    /// declined it.
    public func build(
        message: SpooledMessage, original: ByteBuffer?, recipients: [(index: Int, outcome: RecipientOutcome)],
        kind: Kind, now: Date, willRetryUntil: Date? = nil
    ) -> (envelope: SpoolEnvelope, body: ByteBuffer)? {
        let envelope = message.envelope
        guard !envelope.sender.isEmpty else { return nil }
        let chosen = recipients.filter { Self.wantsNotice(envelope.recipients[$0.index], kind: kind) }
        guard !chosen.isEmpty else { return nil }
        let boundary = "\(message.id).\(Int(now.timeIntervalSince1970))/\(hostname)"
        let date = RFC5322Date.format(now)
        var text = ""
        text += "From: Mail Delivery System <MAILER-DAEMON@\(hostname)>\r\n"
        text += "To: <\(envelope.sender)>\r\n"
        text +=
            kind == .failure
            ? "Subject: Undelivered Mail Returned to Sender\r\n" : "Subject: Delayed Mail (still being retried)\r\n"
        text += "Date: \(date)\r\n"
        text += "Message-ID: \(MessageIDGenerator.make(domain: hostname))\r\n"
        // RFC 3834 §5: machine-generated, not to be answered automatically.
        text += "Auto-Submitted: auto-replied\r\n"
        text += "MIME-Version: 1.0\r\n"
        text += "Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"\(boundary)\"\r\n"
        text += "\r\nThis is a MIME-encapsulated message.\r\n\r\n"
        text += "--\(boundary)\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        text += humanText(envelope: envelope, recipients: chosen, kind: kind, willRetryUntil: willRetryUntil)
        text += "\r\n--\(boundary)\r\nContent-Type: message/delivery-status\r\n\r\n"
        // RFC 3464 §2.2: per-message fields.
        text += "Reporting-MTA: dns; \(hostname)\r\n"
        text += "X-Petrel-Queue-ID: \(message.id)\r\n"
        if let envid = envelope.envid { text += "Original-Envelope-Id: \(envid)\r\n" }
        text += "Arrival-Date: \(RFC5322Date.format(envelope.arrival))\r\n"
        for entry in chosen {
            // RFC 3464 §2.3: per-recipient fields.
            let recipient = envelope.recipients[entry.index]
            text += "\r\n"
            if let orcpt = recipient.orcpt { text += "Original-Recipient: \(orcpt)\r\n" }
            text += "Final-Recipient: rfc822; \(recipient.address)\r\n"
            text += "Action: \(kind == .failure ? "failed" : "delayed")\r\n"
            text += "Status: \(entry.outcome.status)\r\n"
            if let host = entry.outcome.remoteHost { text += "Remote-MTA: dns; \(host)\r\n" }
            if entry.outcome.code > 0 {
                text += "Diagnostic-Code: smtp; \(Self.oneLine(entry.outcome.replyText))\r\n"
            } else {
                text += "Diagnostic-Code: X-Petrel; \(Self.oneLine(entry.outcome.text))\r\n"
            }
            text += "Last-Attempt-Date: \(date)\r\n"
            if let willRetryUntil { text += "Will-Retry-Until: \(RFC5322Date.format(willRetryUntil))\r\n" }
        }
        var body = ByteBuffer(string: text)
        body.writeString("\r\n--\(boundary)\r\n")
        var eightBit = false
        if var original {
            let headersOnly = envelope.ret == "HDRS" || (envelope.ret == nil && original.readableBytes > returnLimit)
            if headersOnly {
                let end = HeaderBlock.end(of: original) ?? original.readableBytes
                body.writeString("Content-Type: text/rfc822-headers\r\n\r\n")
                var headers = original.getSlice(at: original.readerIndex, length: end)!
                eightBit = headers.readableBytesView.contains { $0 >= 0x80 }
                body.writeBuffer(&headers)
            } else {
                body.writeString("Content-Type: message/rfc822\r\nContent-Description: Undelivered Message\r\n\r\n")
                eightBit = original.readableBytesView.contains { $0 >= 0x80 }
                body.writeBuffer(&original)
            }
            if body.readableBytesView.last != UInt8(ascii: "\n") { body.writeString("\r\n") }
        }
        body.writeString("\r\n--\(boundary)--\r\n")
        var notice = SpoolEnvelope(
            sender: "", recipients: [SpoolRecipient(address: envelope.sender)], arrival: now)
        notice.bodyType = eightBit ? "8BITMIME" : nil
        notice.smtpUTF8 = envelope.smtpUTF8 && envelope.sender.utf8.contains { $0 >= 0x80 }
        notice.priority = 1
        notice.attributes = ["dsn-for": message.id.description]
        return (notice, body)
    }

    private func humanText(
        envelope: SpoolEnvelope, recipients: [(index: Int, outcome: RecipientOutcome)], kind: Kind,
        willRetryUntil: Date?
    ) -> String {
        var text = "This is the mail system at host \(hostname).\r\n\r\n"
        switch kind {
        case .failure:
            text += "Your message could not be delivered to one or more recipients.\r\n"
            text += "It is attached below. The reasons:\r\n\r\n"
        case .delay:
            text += "Your message could not be delivered yet to one or more recipients.\r\n"
            if let willRetryUntil {
                text += "Delivery will be tried until \(RFC5322Date.format(willRetryUntil)).\r\n"
            }
            text += "You do not need to send it again. The reasons:\r\n\r\n"
        }
        for entry in recipients {
            let address = envelope.recipients[entry.index].address
            let via = entry.outcome.remoteHost.map { "host \($0) said: " } ?? ""
            // RFC 3463 X.4.7: delivery time expired.
            let expired = entry.outcome.status == "4.4.7" ? " (delivery time expired, last reply)" : ""
            text += "<\(address)>:\(expired) \(via)\(Self.oneLine(entry.outcome.replyText))\r\n"
        }
        return text
    }

    static func oneLine(_ text: String) -> String {
        String(text.map { $0 == "\r" || $0 == "\n" ? " " : $0 })
    }
}
