import SMTPCore

/// STARTTLS (RFC 3207).
extension SMTPSession {
    mutating func startTLS() -> SessionAction {
        guard tlsAvailable else {
            return fail(SMTPReply(code: 502, enhanced: .init(5, 5, 1), "Error: command not implemented"))
        }
        guard !tlsActive else {
            return fail(SMTPReply(code: 503, enhanced: .init(5, 5, 1), "Error: TLS already active"))
        }
        guard greeting != .none else {
            return fail(SMTPReply(code: 503, enhanced: .init(5, 5, 1), "Error: send EHLO first"))
        }
        guard transaction == nil else {
            return fail(SMTPReply(code: 503, enhanced: .init(5, 5, 1), "Error: mail transaction in progress"))
        }
        inputMode = .waiting
        return .startTLS(SMTPReply(code: 220, enhanced: .init(2, 0, 0), "Ready to start TLS"))
    }

    /// RFC 3207 §4.2: after the handshake the client starts over with EHLO;
    /// nothing learnt before it is kept.
    mutating func tlsEstablished(protocol name: String?) {
        tlsActive = true
        tlsProtocol = name
        greeting = .none
        heloName = ""
        authUser = nil
        transaction = nil
        inputMode = .command
    }
}
