import Foundation
import NIOCore
import SMTPCore
import Testing

@testable import SMTPServer

@Suite struct MessageAssemblerTests {
    static func transaction() -> SMTPTransaction {
        var transaction = SMTPTransaction(
            sender: .mailbox(SMTPSessionTests.mailbox("a@client.test")), parameters: .init())
        transaction.recipients = [
            AcceptedRecipient(
                path: .mailbox(SMTPSessionTests.mailbox("b@dest.test")), address: "b@dest.test", parameters: .init())
        ]
        return transaction
    }

    /// The trace fields go into the room in front of the body when it has enough, and into a copy when
    /// it has not; both give the same message.
    @Test(arguments: [MessageAssemblerTests.Room.none, .short, .ample])
    func prependsTheTraceFields(room: Room) {
        let text = "Subject: hi\r\n\r\nbody\r\n"
        var body = ByteBufferAllocator().buffer(capacity: 2048)
        body.moveWriterIndex(forwardBy: room.rawValue)
        body.moveReaderIndex(forwardBy: room.rawValue)
        body.writeString(text)
        let assembler = MessageAssembler(hostname: "mx.test", submission: true)
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        let message = assembler.assemble(
            body: &body, queueID: "Q1", session: SMTPSessionTests.session(mode: .submission),
            transaction: Self.transaction(), allocator: ByteBufferAllocator(), now: date)
        let stored = String(buffer: message.body)
        #expect(stored.hasPrefix("Received: from "))
        #expect(stored.contains("\r\nMessage-ID: <"))
        #expect(stored.contains("\r\nDate: "))
        #expect(stored.hasSuffix("\r\n" + text))
        #expect(stored.components(separatedBy: "Received:").count == 2)
        #expect(body.readableBytes == 0)
    }

    /// A message that has both keeps them: nothing added, and its Message-ID (unfolded, trimmed) is the
    /// envelope's.
    @Test func keepsTheMessagesOwnMessageIDAndDate() {
        let text = "message-id:  \r\n <a.b@client.test> \r\nDATE: Thu, 26 Nov 2026 08:00:00 +0000\r\n\r\nbody\r\n"
        var body = ByteBufferAllocator().buffer(capacity: 2048)
        body.moveWriterIndex(forwardBy: 1024)
        body.moveReaderIndex(forwardBy: 1024)
        body.writeString(text)
        let message = MessageAssembler(hostname: "mx.test", submission: true).assemble(
            body: &body, queueID: "Q1", session: SMTPSessionTests.session(mode: .submission),
            transaction: Self.transaction(), allocator: ByteBufferAllocator())
        #expect(message.messageID == "<a.b@client.test>")
        let stored = String(buffer: message.body)
        #expect(stored.hasPrefix("Received: "))
        #expect(stored.hasSuffix("\r\n" + text))
        #expect(!stored.contains("Message-ID:"))
        #expect(!stored.contains("\r\nDate:"))
    }

    enum Room: Int, Sendable {
        case none = 0
        case short = 20
        case ample = 1024
    }
}
