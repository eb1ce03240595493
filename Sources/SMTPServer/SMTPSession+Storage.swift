import SMTPCore

extension SMTPSession {
    /// RFC 3848 §4: the "with" protocol of the Received header.
    var receivedProtocol: String {
        let utf8 = transaction?.parameters.smtpUTF8 == true
        var name = utf8 ? "UTF8SMTP" : (greeting == .ehlo ? "ESMTP" : "SMTP")
        if tlsActive { name += "S" }
        if authUser != nil { name += "A" }
        return name
    }

    /// The sink answered for the stored message.
    mutating func stored(queueID: String, result: Result<Void, Error>) -> SessionAction {
        transaction = nil
        inputMode = .command
        let reply: SMTPReply
        switch result {
        case .success:
            reply = SMTPReply(code: 250, enhanced: .init(2, 0, 0), "Ok: queued as \(queueID)")
        case .failure(let error) where error is InsufficientStorageError:
            reply = SMTPReply(code: 452, enhanced: .init(4, 3, 1), "Error: insufficient system storage")
        case .failure:
            reply = SMTPReply(code: 451, enhanced: .init(4, 3, 0), "Error: queue file write error")
        }
        if shuttingDown {
            inputMode = .closed
            return .replyAndClose(reply)
        }
        return .reply(reply)
    }

    /// A password check or handshake finished while shutting down.
    var mustCloseAfterWaiting: Bool { shuttingDown }
}
