import SMTPCore

/// BDAT (RFC 3030): every chunk's octets are read even when the command
/// fails, so that the client and server stay in step.
extension SMTPSession {
    mutating func bdat(size: Int, last: Bool) -> SessionAction {
        chunkIsLast = last
        chunkSize = size
        chunkReply = nil
        inputMode = .chunk
        guard greeting != .none else {
            chunkReply = SMTPReply(code: 503, enhanced: .init(5, 5, 1), "Error: send HELO/EHLO first")
            return .receiveChunk(size: size, discard: true)
        }
        guard var transaction else {
            chunkReply = SMTPReply(code: 503, enhanced: .init(5, 5, 1), "Error: need MAIL command")
            return .receiveChunk(size: size, discard: true)
        }
        guard !transaction.recipients.isEmpty else {
            chunkReply = SMTPReply(code: 554, enhanced: .init(5, 5, 1), "Error: no valid recipients")
            return .receiveChunk(size: size, discard: true)
        }
        transaction.usedBDAT = true
        if transaction.bdatFailure == nil, transaction.bdatSize + size > limits.maxMessageSize {
            transaction.bdatFailure = SMTPReply(
                code: 552, enhanced: .init(5, 3, 4), "Error: message too big for system")
        }
        transaction.bdatSize += size
        self.transaction = transaction
        return .receiveChunk(size: size, discard: transaction.bdatFailure != nil)
    }

    /// All octets of the current chunk were read.
    mutating func chunkReceived() -> SessionAction {
        inputMode = .command
        if let reply = chunkReply {
            chunkReply = nil
            return fail(reply)
        }
        guard let transaction else { return .none }
        if !chunkIsLast {
            if let failure = transaction.bdatFailure { return fail(failure) }
            return .reply(SMTPReply(code: 250, enhanced: .init(2, 0, 0), "\(chunkSize) octets received"))
        }
        if let failure = transaction.bdatFailure {
            self.transaction = nil
            return fail(failure)
        }
        inputMode = .waiting
        return .store
    }
}
