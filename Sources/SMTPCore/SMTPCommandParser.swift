import NIOCore

/// Frames and parses client command lines (RFC 5321 §4.1.1).
public enum SMTPCommandParser {
    /// One complete command line WITHOUT its line ending.
    public static func parse(line: ByteBuffer) throws(SMTPCommandError) -> SMTPCommand {
        try parse(bytes: Array(line.readableBytesView))
    }

    /// Frames a line ending in CRLF (a bare LF also ends a command line, leniently) and parses it.
    /// nil and buffer untouched when no line end yet.
    /// Throws `.lineTooLong` when more than maxLineLength octets (incl. CRLF) arrive without a line end
    /// (RFC 5321 §4.5.3.1.4). The octets of the over-long line that have arrived are then consumed, and the
    /// caller discards the rest of it with `skipLine(in:)` until that returns true.
    public static func parse(buffer: inout ByteBuffer, maxLineLength: Int = 512) throws(SMTPCommandError)
        -> SMTPCommand?
    {
        let view = buffer.readableBytesView
        guard let lineFeed = view.firstIndex(of: ASCII.lf) else {
            if view.count >= maxLineLength {
                buffer.moveReaderIndex(forwardBy: view.count)
                throw .lineTooLong
            }
            return nil
        }
        let lineLength = lineFeed - view.startIndex + 1
        guard lineLength <= maxLineLength else {
            buffer.moveReaderIndex(forwardBy: lineLength)
            throw .lineTooLong
        }
        var contentEnd = lineFeed
        if contentEnd > view.startIndex && view[contentEnd - 1] == ASCII.cr {
            contentEnd -= 1
        }
        let bytes = Array(view[view.startIndex..<contentEnd])
        buffer.moveReaderIndex(forwardBy: lineLength)
        return try parse(bytes: bytes)
    }

    /// Discards octets up to and including the next LF; true when the line end was found.
    public static func skipLine(in buffer: inout ByteBuffer) -> Bool {
        let view = buffer.readableBytesView
        guard let lineFeed = view.firstIndex(of: ASCII.lf) else {
            buffer.moveReaderIndex(forwardBy: view.count)
            return false
        }
        buffer.moveReaderIndex(forwardBy: lineFeed - view.startIndex + 1)
        return true
    }

    // RFC 5321 §4.1.1: verb SP argument CRLF; verbs are case-insensitive (§2.4).
    static func parse(bytes: [UInt8]) throws(SMTPCommandError) -> SMTPCommand {
        // RFC 5321 §2.3.8: CR and LF only as a line end; no other control characters in a command.
        guard !bytes.contains(where: ASCII.isControl) else { throw .syntax("Invalid character in command") }
        var end = bytes.count
        while end > 0 && bytes[end - 1] == ASCII.space {
            end -= 1
        }
        let verbEnd = bytes[..<end].firstIndex(of: ASCII.space) ?? end
        var argumentStart = verbEnd
        while argumentStart < end && bytes[argumentStart] == ASCII.space {
            argumentStart += 1
        }
        let verb = String(decoding: bytes[..<verbEnd].map(ASCII.uppercased), as: UTF8.self)
        let argument = CommandArgument(bytes: bytes, range: argumentStart..<end)
        switch verb {
        case "HELO": return .helo(try argument.domain(verb: "HELO"))
        case "EHLO": return .ehlo(try argument.domain(verb: "EHLO"))
        case "MAIL": return try parseMail(argument)
        case "RCPT": return try parseRcpt(argument)
        case "DATA": return try argument.none(.data, verb: "DATA")
        case "RSET": return try argument.none(.rset, verb: "RSET")
        case "QUIT": return try argument.none(.quit, verb: "QUIT")
        case "STARTTLS": return try argument.none(.startTLS, verb: "STARTTLS")
        case "NOOP":
            // RFC 5321 §4.1.1.9: "NOOP" [ SP String ]; the string is ignored.
            _ = try argument.optionalText()
            return .noop
        case "HELP": return .help(try argument.optionalText())
        case "VRFY": return .vrfy(try argument.requiredText(verb: "VRFY"))
        case "EXPN": return .expn(try argument.requiredText(verb: "EXPN"))
        case "BDAT": return try parseBdat(argument)
        case "AUTH": return try parseAuth(argument)
        default: throw .unrecognized(String(verb.prefix(16)))
        }
    }

    // RFC 5321 §4.1.1.2:  mail = "MAIL FROM:" Reverse-path [SP Mail-parameters] CRLF
    // One space after the colon is tolerated, as Postfix does.
    private static func parseMail(_ argument: CommandArgument) throws(SMTPCommandError) -> SMTPCommand {
        var parser = try argument.pathParser(prefix: "FROM:", syntax: "Syntax: MAIL FROM:<address>")
        let path: ReversePath
        do throws(AddressSyntaxError) {
            switch try parser.parsePath() {
            case .null: path = .null
            case .postmaster: throw AddressSyntaxError("domain missing")
            case .mailbox(let mailbox): path = .mailbox(mailbox)
            }
        } catch {
            throw .badSenderAddress(error.detail)
        }
        let parameters = try argument.parameters(
            after: parser.index, syntax: "Syntax: MAIL FROM:<address> [parameters]")
        return .mail(path, try MailParameters(parsing: parameters))
    }

    // RFC 5321 §4.1.1.3:
    //   rcpt = "RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>" / Forward-path ) [SP Rcpt-parameters] CRLF
    private static func parseRcpt(_ argument: CommandArgument) throws(SMTPCommandError) -> SMTPCommand {
        var parser = try argument.pathParser(prefix: "TO:", syntax: "Syntax: RCPT TO:<address>")
        let path: ForwardPath
        do throws(AddressSyntaxError) {
            switch try parser.parsePath() {
            case .null: throw AddressSyntaxError("null recipient")
            case .postmaster: path = .postmaster
            case .mailbox(let mailbox): path = .mailbox(mailbox)
            }
        } catch {
            throw .badRecipientAddress(error.detail)
        }
        let parameters = try argument.parameters(after: parser.index, syntax: "Syntax: RCPT TO:<address> [parameters]")
        return .rcpt(path, try RcptParameters(parsing: parameters))
    }

    // RFC 3030 §2:
    //   bdat-cmd   ::= "BDAT" SP chunk-size [ SP end-marker ] CR LF
    //   chunk-size ::= 1*DIGIT
    //   end-marker ::= "LAST"
    private static func parseBdat(_ argument: CommandArgument) throws(SMTPCommandError) -> SMTPCommand {
        let words = argument.words
        guard (1...2).contains(words.count) else { throw .syntax("Syntax: BDAT size [LAST]") }
        let digits = words[0]
        guard (1...18).contains(digits.count), digits.allSatisfy(ASCII.isDigit),
            let size = Int(String(decoding: digits, as: UTF8.self))
        else {
            throw .syntax("Syntax: BDAT size [LAST]")
        }
        if words.count == 2 {
            guard words[1].map(ASCII.uppercased).elementsEqual("LAST".utf8) else {
                throw .syntax("Syntax: BDAT size [LAST]")
            }
            return .bdat(chunkSize: size, last: true)
        }
        return .bdat(chunkSize: size, last: false)
    }

    // RFC 4954 §4:
    //   auth-command     = "AUTH" SP sasl-mech [SP initial-response] *(CRLF [base64]) [CRLF cancel-response] CRLF
    //   initial-response = base64 / "="
    // RFC 4422 §3.1: sasl-mech = 1*20mech-char; mech-char = UPPER-ALPHA / DIGIT / HYPHEN / UNDERSCORE
    private static func parseAuth(_ argument: CommandArgument) throws(SMTPCommandError) -> SMTPCommand {
        let words = argument.words
        guard (1...2).contains(words.count) else { throw .syntax("Syntax: AUTH mechanism [initial-response]") }
        let mechanism = words[0].map(ASCII.uppercased)
        guard (1...20).contains(mechanism.count),
            mechanism.allSatisfy({ ASCII.isLetDig($0) || $0 == ASCII.hyphen || $0 == 0x5F })
        else {
            throw .syntax("Invalid authentication mechanism")
        }
        var initialResponse: String?
        if words.count == 2 {
            guard Base64Syntax.isValid(words[1]) || words[1].elementsEqual("=".utf8) else {
                throw .syntax("Invalid initial response")
            }
            initialResponse = String(decoding: words[1], as: UTF8.self)
        }
        return .auth(mechanism: String(decoding: mechanism, as: UTF8.self), initialResponse: initialResponse)
    }
}
