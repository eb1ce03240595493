/// The ESMTP parameters of RCPT TO (RFC 5321 §4.1.1.3).
public struct RcptParameters: Hashable, Sendable {
    /// NOTIFY= (RFC 3461 §4.1).
    public var notify: DSNNotify?
    /// ORCPT= (RFC 3461 §4.2).
    public var orcpt: OriginalRecipient?

    public init() {
        self.notify = nil
        self.orcpt = nil
    }

    /// The parameters in wire form, each preceded by SP.
    public var wireText: String {
        var text = ""
        if let notify { text += " NOTIFY=\(notify.parameterValue)" }
        if let orcpt { text += " ORCPT=\(orcpt.parameterValue)" }
        return text
    }

    // RFC 5321 §4.1.2:  Rcpt-parameters = esmtp-param *(SP esmtp-param)
    init(parsing parameters: [ESMTPParameter]) throws(SMTPCommandError) {
        self.init()
        for parameter in parameters {
            switch parameter.keyword {
            case "NOTIFY":
                guard let value = DSNNotify(parameterValue: try parameter.requiredValue()) else {
                    throw .invalidParameter("NOTIFY value must be NEVER or SUCCESS, FAILURE, DELAY")
                }
                notify = value
            case "ORCPT":
                // RFC 3461 §4.2: at most 500 characters.
                let encoded = try parameter.requiredValue()
                guard encoded.utf8.count <= 500, let value = OriginalRecipient(parameterValue: encoded) else {
                    throw .invalidParameter("ORCPT value must be addr-type;xtext")
                }
                orcpt = value
            default:
                throw .unknownParameter(parameter.keyword)
            }
        }
    }
}
