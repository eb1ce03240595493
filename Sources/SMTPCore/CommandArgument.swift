/// The part of a command line after the verb and its spaces, trailing spaces removed.
struct CommandArgument {
    let bytes: [UInt8]
    let range: Range<Int>

    var isEmpty: Bool { range.isEmpty }

    var content: ArraySlice<UInt8> { bytes[range] }

    /// Space-separated words (runs of spaces tolerated).
    var words: [ArraySlice<UInt8>] { content.split(separator: ASCII.space) }

    /// RFC 5321 §4.1.1.4-6, §4.1.1.10: DATA, RSET, QUIT and STARTTLS (RFC 3207 §4) take no argument.
    func none(_ command: SMTPCommand, verb: String) throws(SMTPCommandError) -> SMTPCommand {
        guard isEmpty else { throw .syntax("\(verb) takes no argument") }
        return command
    }

    /// `[ SP String ]` (RFC 5321 §4.1.1.8-9).
    func optionalText() throws(SMTPCommandError) -> String? {
        guard !isEmpty else { return nil }
        guard let text = ASCII.validString(content) else { throw .syntax("Invalid UTF-8") }
        return text
    }

    /// `SP String` (RFC 5321 §4.1.1.6-7).
    func requiredText(verb: String) throws(SMTPCommandError) -> String {
        guard let text = try optionalText() else { throw .syntax("Syntax: \(verb) string") }
        return text
    }

    // RFC 5321 §4.1.1.1:
    //   ehlo = "EHLO" SP ( Domain / address-literal ) CRLF
    //   helo = "HELO" SP Domain CRLF
    // The text is returned as given; judging the name is policy, not syntax.
    func domain(verb: String) throws(SMTPCommandError) -> String {
        guard !isEmpty else { throw .syntax("Syntax: \(verb) hostname") }
        guard words.count == 1 else { throw .syntax("Syntax: \(verb) hostname") }
        guard let text = ASCII.validString(content) else { throw .syntax("Invalid UTF-8") }
        return text
    }

    /// Checks "FROM:" / "TO:" (any case) and one optional space; the parser is left at the path.
    func pathParser(prefix: String, syntax: String) throws(SMTPCommandError) -> AddressParser {
        let argument = Array(content)
        guard ASCII.hasPrefix(prefix, in: argument, at: 0) else { throw .syntax(syntax) }
        var index = prefix.utf8.count
        if index < argument.count && argument[index] == ASCII.space {
            index += 1
        }
        guard index < argument.count else { throw .syntax(syntax) }
        return AddressParser(argument, index: index)
    }

    /// `[SP esmtp-param *(SP esmtp-param)]` after the path ending at `index` (relative to the argument).
    func parameters(after index: Int, syntax: String) throws(SMTPCommandError) -> [ESMTPParameter] {
        let rest = content.dropFirst(index)
        guard let first = rest.first else { return [] }
        guard first == ASCII.space else { throw .syntax(syntax) }
        return try ESMTPParameter.parseList(rest)
    }
}
