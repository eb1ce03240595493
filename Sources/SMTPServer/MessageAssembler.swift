import Foundation
import MailMessage
import NIOCore
import SMTPCore

/// Turns a finished transaction into the message that is stored: the
/// Received trace header (RFC 5321 §4.4) on top and, on submission,
/// the Message-ID and Date a submission server adds when missing
/// (RFC 6409 §8.2, §8.3).
struct MessageAssembler {
    var hostname: String
    var submission: Bool

    func assemble(
        body: inout ByteBuffer, queueID: String, session: SMTPSession, transaction: SMTPTransaction,
        allocator: ByteBufferAllocator, now: Date = Date()
    ) -> AcceptedMessage {
        let single = transaction.recipients.count == 1 ? transaction.recipients[0].address : nil
        let received = ReceivedHeader(
            heloName: session.heloName, clientAddress: session.clientAddress, clientHostname: nil,
            byHostname: hostname, protocol: session.receivedProtocol, queueID: queueID, recipient: single,
            tls: session.tlsProtocol, date: now
        ).render()
        var messageID = HeaderBlock.firstValue(of: "Message-ID", in: body)
        var added = ""
        if submission {
            if messageID == nil {
                let generated = MessageIDGenerator.make(domain: hostname)
                added += "Message-ID: \(generated)\r\n"
                messageID = generated
            }
            if !HeaderBlock.contains("Date", in: body) {
                added += "Date: \(RFC5322Date.format(now))\r\n"
            }
        }
        let headerLength = received.utf8.count + added.utf8.count
        var out: ByteBuffer
        if body.readerIndex >= headerLength {
            // The body was received with room in front (SMTPServerHandler.headerRoom): no copy.
            let start = body.readerIndex - headerLength
            body.setString(received, at: start)
            body.setString(added, at: start + received.utf8.count)
            body.moveReaderIndex(to: start)
            out = body
            body.moveReaderIndex(to: body.writerIndex)  // consumed, as `writeBuffer` leaves it below
        } else {
            out = allocator.buffer(capacity: headerLength + body.readableBytes)
            out.writeString(received)
            out.writeString(added)
            out.writeBuffer(&body)
        }
        return AcceptedMessage(
            queueID: queueID, sender: transaction.sender, mailParameters: transaction.parameters,
            recipients: transaction.recipients, clientAddress: session.clientAddress, heloName: session.heloName,
            authUser: session.authUser, listener: session.listener.name, tlsProtocol: session.tlsProtocol,
            messageID: messageID, body: out)
    }
}
