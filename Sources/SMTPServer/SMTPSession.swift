import SMTPCore

/// The SMTP server's protocol state for one connection: a value that takes
/// events (commands, data, results of asynchronous work) and returns the
/// action its channel handler performs. It does no I/O.
struct SMTPSession {
    enum Greeting { case none, helo, ehlo }

    /// How the handler must read the next input bytes.
    enum InputMode: Equatable {
        case command
        /// The next line answers a 334 challenge (RFC 4954 §4).
        case authLine
        /// Message text up to CRLF.CRLF.
        case data
        /// The octets of a BDAT chunk.
        case chunk
        /// Asynchronous work (storage, password check, TLS handshake) is
        /// pending; read nothing.
        case waiting
        case closed
    }

    enum AuthExchange: Equatable {
        case plain
        case loginUser
        case loginPassword(user: String)
    }

    let settings: ServerSettings
    let listener: ListenerSettings
    let clientAddress: String
    /// STARTTLS can be offered: the listener wants it and a certificate is loaded.
    let tlsAvailable: Bool
    let trusted: Bool

    var greeting = Greeting.none
    var heloName = ""
    var tlsActive = false
    var tlsProtocol: String?
    var authUser: String?
    var transaction: SMTPTransaction?
    var inputMode = InputMode.command
    var auth: AuthExchange?
    var errors = 0
    var authFailures = 0
    /// The BDAT chunk being read, and the reply owed when it ends.
    var chunkIsLast = false
    var chunkSize = 0
    var chunkReply: SMTPReply?
    var shuttingDown = false

    init(settings: ServerSettings, listener: ListenerSettings, clientAddress: String, tlsAvailable: Bool) {
        self.settings = settings
        self.listener = listener
        self.clientAddress = clientAddress
        self.tlsAvailable = tlsAvailable && listener.offersTLS
        self.trusted = settings.isTrustedClient(clientAddress)
    }

    var limits: SMTPLimits { settings.limits }

    /// RFC 5321 §4.2: the opening 220; no enhanced code on the greeting (RFC 2034 §3).
    var greetingReply: SMTPReply {
        SMTPReply(code: 220, "\(settings.hostname) ESMTP Petrel")
    }

    /// Whether AUTH is offered on this connection now (RFC 4954 §4, §14).
    var authOffered: Bool {
        listener.mode != .inbound && (tlsActive || listener.allowPlaintextAuth)
    }

    // MARK: - Errors and limits

    /// Counts a failed command; past `maxErrors` the session ends with 421.
    mutating func fail(_ reply: SMTPReply) -> SessionAction {
        errors += 1
        if errors >= limits.maxErrors {
            return close(SMTPReply(code: 421, enhanced: .init(4, 7, 0), "\(settings.hostname) Error: too many errors"))
        }
        return .reply(reply)
    }

    mutating func close(_ reply: SMTPReply) -> SessionAction {
        inputMode = .closed
        return .replyAndClose(reply)
    }

    mutating func commandError(_ error: SMTPCommandError) -> SessionAction {
        fail(error.reply)
    }

    /// RFC 5321 §4.5.3.2.7: the client went silent for too long.
    mutating func timeout() -> SessionAction {
        close(SMTPReply(code: 421, enhanced: .init(4, 4, 2), "\(settings.hostname) Error: timeout exceeded"))
    }

    /// The grace period of a shutdown is over.
    mutating func shutdown() -> SessionAction {
        if inputMode == .waiting {
            shuttingDown = true
            return .none
        }
        return close(
            SMTPReply(
                code: 421, enhanced: .init(4, 3, 2), "\(settings.hostname) Service shutting down, closing connection")
        )
    }

    // MARK: - Commands

    mutating func command(_ command: SMTPCommand) -> SessionAction {
        switch command {
        case .helo(let name): return helo(name, extended: false)
        case .ehlo(let name): return helo(name, extended: true)
        case .mail(let path, let parameters): return mail(path, parameters)
        case .rcpt(let path, let parameters): return rcpt(path, parameters)
        case .data: return data()
        case .bdat(let size, let last): return bdat(size: size, last: last)
        case .rset:
            transaction = nil
            return .reply(SMTPReply(code: 250, enhanced: .init(2, 0, 0), "Ok"))
        case .noop:
            return .reply(SMTPReply(code: 250, enhanced: .init(2, 0, 0), "Ok"))
        case .quit:
            return close(SMTPReply(code: 221, enhanced: .init(2, 0, 0), "Bye"))
        case .vrfy:
            // RFC 5321 §3.5.3: 252 when the server will not verify.
            return .reply(
                SMTPReply(
                    code: 252, enhanced: .init(2, 0, 0),
                    "Cannot VRFY user, but will accept message and attempt delivery")
            )
        case .expn:
            return fail(SMTPReply(code: 502, enhanced: .init(5, 5, 1), "Error: EXPN not supported"))
        case .help:
            return .reply(SMTPReply(code: 214, enhanced: .init(2, 0, 0), "See RFC 5321"))
        case .startTLS: return startTLS()
        case .auth(let mechanism, let initial): return authStart(mechanism: mechanism, initialResponse: initial)
        }
    }

    private mutating func helo(_ name: String, extended: Bool) -> SessionAction {
        // RFC 5321 §4.1.4: EHLO/HELO resets any transaction.
        transaction = nil
        greeting = extended ? .ehlo : .helo
        heloName = name
        guard extended else {
            return .reply(SMTPReply(code: 250, "\(settings.hostname)"))
        }
        return .reply(SMTPReply(code: 250, lines: [settings.hostname] + capabilities))
    }

    /// EHLO keywords (RFC 5321 §4.1.1.1 and the extension RFCs).
    var capabilities: [String] {
        var lines = ["PIPELINING", "SIZE \(limits.maxMessageSize)"]
        if tlsAvailable && !tlsActive { lines.append("STARTTLS") }
        if authOffered { lines.append("AUTH PLAIN LOGIN") }
        if tlsActive { lines.append("REQUIRETLS") }
        lines += ["ENHANCEDSTATUSCODES", "8BITMIME", "BINARYMIME", "CHUNKING", "SMTPUTF8", "DSN"]
        return lines
    }

    private mutating func mail(_ path: ReversePath, _ parameters: MailParameters) -> SessionAction {
        guard greeting != .none else {
            return fail(SMTPReply(code: 503, enhanced: .init(5, 5, 1), "Error: send HELO/EHLO first"))
        }
        guard transaction == nil else {
            return fail(SMTPReply(code: 503, enhanced: .init(5, 5, 1), "Error: nested MAIL command"))
        }
        if listener.requireTLS && !tlsActive {
            return fail(SMTPReply(code: 530, enhanced: .init(5, 7, 0), "Must issue a STARTTLS command first"))
        }
        if listener.mode == .submission && authUser == nil {
            return fail(SMTPReply(code: 530, enhanced: .init(5, 7, 0), "Authentication required"))
        }
        if greeting == .helo && parameters != MailParameters() {
            // RFC 5321 §4.1.1.11: parameters belong to extensions announced by EHLO.
            return fail(SMTPReply(code: 555, enhanced: .init(5, 5, 4), "MAIL parameters need EHLO"))
        }
        if let size = parameters.size, size > limits.maxMessageSize {
            // RFC 1870 §6.2.
            return fail(SMTPReply(code: 552, enhanced: .init(5, 3, 4), "Message size exceeds fixed limit"))
        }
        if parameters.requireTLS && !tlsActive {
            // RFC 8689 §4.1: REQUIRETLS only over TLS.
            return fail(SMTPReply(code: 530, enhanced: .init(5, 7, 10), "REQUIRETLS needs an encrypted connection"))
        }
        if case .mailbox(let mailbox) = path, mailbox.requiresSMTPUTF8, !parameters.smtpUTF8 {
            // RFC 6531 §3.4: UTF-8 addresses need the SMTPUTF8 parameter.
            return fail(SMTPReply(code: 553, enhanced: .init(5, 6, 7), "Sender address needs SMTPUTF8"))
        }
        transaction = SMTPTransaction(sender: path, parameters: parameters)
        return .reply(SMTPReply(code: 250, enhanced: .init(2, 1, 0), "Ok"))
    }

    private mutating func rcpt(_ path: ForwardPath, _ parameters: RcptParameters) -> SessionAction {
        guard var transaction else {
            return fail(SMTPReply(code: 503, enhanced: .init(5, 5, 1), "Error: need MAIL command"))
        }
        guard transaction.recipients.count < limits.maxRecipients else {
            // RFC 5321 §4.5.3.1.10: 452 for too many recipients, not counted as an error.
            return .reply(SMTPReply(code: 452, enhanced: .init(4, 5, 3), "Error: too many recipients"))
        }
        let address: String
        switch path {
        case .postmaster:
            // RFC 5321 §4.5.1: postmaster is always accepted.
            address = "postmaster@\(settings.hostname)"
        case .mailbox(let mailbox):
            if mailbox.requiresSMTPUTF8 && !transaction.requiresSMTPUTF8 {
                return fail(SMTPReply(code: 553, enhanced: .init(5, 6, 7), "Recipient address needs SMTPUTF8"))
            }
            guard mayRelay(to: mailbox.domain) else {
                return fail(SMTPReply(code: 554, enhanced: .init(5, 7, 1), "Relay access denied"))
            }
            address = mailbox.description
        }
        transaction.recipients.append(AcceptedRecipient(path: path, address: address, parameters: parameters))
        self.transaction = transaction
        return .reply(SMTPReply(code: 250, enhanced: .init(2, 1, 5), "Ok"))
    }

    /// The relay policy: authenticated users anywhere, trusted networks
    /// anywhere on relay listeners, everyone to local domains.
    func mayRelay(to domain: MailDomain) -> Bool {
        if case .name(let name) = domain, settings.isLocalDomain(name.lowercased()) { return true }
        switch listener.mode {
        case .inbound: return false
        case .submission: return authUser != nil
        case .relay: return authUser != nil || trusted
        }
    }

    private mutating func data() -> SessionAction {
        guard let transaction else {
            return fail(SMTPReply(code: 503, enhanced: .init(5, 5, 1), "Error: need MAIL command"))
        }
        guard !transaction.recipients.isEmpty else {
            return fail(SMTPReply(code: 554, enhanced: .init(5, 5, 1), "Error: no valid recipients"))
        }
        if transaction.usedBDAT {
            return fail(SMTPReply(code: 503, enhanced: .init(5, 5, 1), "Error: DATA after BDAT"))
        }
        if transaction.parameters.body == .binaryMIME {
            // RFC 3030 §3: BINARYMIME content only through BDAT.
            return fail(SMTPReply(code: 503, enhanced: .init(5, 5, 1), "Error: BODY=BINARYMIME requires BDAT"))
        }
        inputMode = .data
        return .receiveData(SMTPReply(code: 354, "End data with <CR><LF>.<CR><LF>"))
    }

    /// The message text ended at CRLF.CRLF.
    mutating func dataReceived(violations: DataViolations) -> SessionAction {
        if violations.sizeExceeded {
            transaction = nil
            inputMode = .command
            return fail(SMTPReply(code: 552, enhanced: .init(5, 3, 4), "Error: message too big for system"))
        }
        if violations.bareLF || violations.bareCR {
            // RFC 5321 §2.3.8: CR and LF only together, as CRLF. Rejecting
            // closes the SMTP smuggling hole (CVE-2023-51764 family).
            transaction = nil
            inputMode = .command
            return fail(
                SMTPReply(code: 550, enhanced: .init(5, 6, 0), "Error: bare CR or LF in message text, use CRLF")
            )
        }
        if violations.lineTooLong {
            transaction = nil
            inputMode = .command
            return fail(
                SMTPReply(
                    code: 550, enhanced: .init(5, 6, 0),
                    "Error: line longer than \(limits.maxTextLine) octets in message text")
            )
        }
        inputMode = .waiting
        return .store
    }
}
