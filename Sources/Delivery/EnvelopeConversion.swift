import SMTPCore
import Spool

/// Spool envelopes keep addresses as text; the client wants paths.
enum EnvelopeConversion {
    /// "local@domain" (local part possibly needing quotes) → Mailbox.
    static func mailbox(_ address: String) -> Mailbox? {
        guard let at = address.lastIndex(of: "@"), at != address.startIndex else { return nil }
        var local = String(address[..<at])
        if local.hasPrefix("\""), local.hasSuffix("\""), local.count >= 2 {
            local = String(local.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
                .replacingOccurrences(of: "\\\\", with: "\\")
        }
        let domain = String(address[address.index(after: at)...])
        if domain.hasPrefix("["), domain.hasSuffix("]") {
            return Mailbox(localPart: local, domain: .addressLiteral(String(domain.dropFirst().dropLast())))
        }
        return Mailbox(localPart: local, domain: .name(domain))
    }

    static func reversePath(_ sender: String) -> ReversePath {
        guard !sender.isEmpty, let mailbox = mailbox(sender) else { return .null }
        return .mailbox(mailbox)
    }

    static func mailParameters(_ envelope: SpoolEnvelope, size: Int) -> MailParameters {
        var parameters = MailParameters()
        parameters.size = size
        parameters.body = envelope.bodyType.flatMap(BodyType.init(rawValue:))
        parameters.smtpUTF8 = envelope.smtpUTF8
        parameters.ret = envelope.ret.flatMap(DSNReturn.init(rawValue:))
        parameters.envid = envelope.envid
        parameters.requireTLS = envelope.requireTLS
        return parameters
    }

    static func rcptParameters(_ recipient: SpoolRecipient) -> RcptParameters {
        var parameters = RcptParameters()
        if recipient.notify != 0 { parameters.notify = DSNNotify(rawValue: recipient.notify) }
        if let orcpt = recipient.orcpt, let semicolon = orcpt.firstIndex(of: ";") {
            parameters.orcpt = OriginalRecipient(
                addressType: String(orcpt[..<semicolon]), address: String(orcpt[orcpt.index(after: semicolon)...]))
        }
        return parameters
    }
}
