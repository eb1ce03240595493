import NIOCore

/// A client command (RFC 5321 §4.1.1 and the extensions of RFC 3030, RFC 3207, RFC 4954).
public enum SMTPCommand: Hashable, Sendable {
    /// The domain or address literal text as given (RFC 5321 §4.1.1.1).
    case helo(String)
    case ehlo(String)
    case mail(ReversePath, MailParameters)
    case rcpt(ForwardPath, RcptParameters)
    case data
    case rset
    case quit
    /// RFC 3207 §4.
    case startTLS
    case noop
    /// RFC 3030 §2.
    case bdat(chunkSize: Int, last: Bool)
    case vrfy(String)
    case expn(String)
    case help(String?)
    /// RFC 4954 §4: the mechanism upper-cased; an empty initial response stays "=".
    case auth(mechanism: String, initialResponse: String?)

    /// Writes the client wire form, CRLF included, e.g. "MAIL FROM:<a@b> SIZE=10 BODY=8BITMIME\r\n".
    public func write(into buffer: inout ByteBuffer) {
        buffer.writeString(wireLine)
        buffer.writeString("\r\n")
    }

    /// The wire form without CRLF.
    public var wireLine: String {
        switch self {
        case .helo(let domain): "HELO \(domain)"
        case .ehlo(let domain): "EHLO \(domain)"
        case .mail(let path, let parameters): "MAIL FROM:\(path)\(parameters.wireText)"
        case .rcpt(let path, let parameters): "RCPT TO:\(path)\(parameters.wireText)"
        case .data: "DATA"
        case .rset: "RSET"
        case .quit: "QUIT"
        case .startTLS: "STARTTLS"
        case .noop: "NOOP"
        case .bdat(let size, let last): last ? "BDAT \(size) LAST" : "BDAT \(size)"
        case .vrfy(let text): "VRFY \(text)"
        case .expn(let text): "EXPN \(text)"
        case .help(let topic): topic.map { "HELP \($0)" } ?? "HELP"
        case .auth(let mechanism, let response): response.map { "AUTH \(mechanism) \($0)" } ?? "AUTH \(mechanism)"
        }
    }
}
