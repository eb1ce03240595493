import NIOCore
import SMTPCore

/// Parses one command line given without its line ending.
func parseCommand(_ line: String) throws(SMTPCommandError) -> SMTPCommand {
    try SMTPCommandParser.parse(line: ByteBuffer(string: line))
}

/// Parses one command line given as octets, without its line ending.
func parseCommand(bytes: [UInt8]) throws(SMTPCommandError) -> SMTPCommand {
    try SMTPCommandParser.parse(line: ByteBuffer(bytes: bytes))
}

func mailbox(_ localPart: String, _ domain: String) -> Mailbox {
    Mailbox(localPart: localPart, domain: .name(domain))
}

func wire(_ command: SMTPCommand) -> String {
    var buffer = ByteBuffer()
    command.write(into: &buffer)
    return String(buffer: buffer)
}

func wire(_ reply: SMTPReply) -> String {
    var buffer = ByteBuffer()
    reply.write(into: &buffer)
    return String(buffer: buffer)
}

extension MailParameters {
    static func with(_ configure: (inout MailParameters) -> Void) -> MailParameters {
        var parameters = MailParameters()
        configure(&parameters)
        return parameters
    }
}

extension RcptParameters {
    static func with(_ configure: (inout RcptParameters) -> Void) -> RcptParameters {
        var parameters = RcptParameters()
        configure(&parameters)
        return parameters
    }
}
