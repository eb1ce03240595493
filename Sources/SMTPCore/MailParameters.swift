/// The ESMTP parameters of MAIL FROM (RFC 5321 §4.1.1.2).
public struct MailParameters: Hashable, Sendable {
    /// SIZE= declared message size in octets (RFC 1870 §3); values beyond Int are clamped to Int.max.
    public var size: Int?
    /// BODY= (RFC 6152 §2, RFC 3030 §3).
    public var body: BodyType?
    /// SMTPUTF8 (RFC 6531 §3.4).
    public var smtpUTF8: Bool
    /// RET= (RFC 3461 §4.3).
    public var ret: DSNReturn?
    /// ENVID=, xtext-decoded (RFC 3461 §4.4).
    public var envid: String?
    /// AUTH=, xtext-decoded; "<>" when the submitter is unknown (RFC 4954 §5).
    public var auth: String?
    /// REQUIRETLS (RFC 8689 §4.1).
    public var requireTLS: Bool

    public init() {
        self.size = nil
        self.body = nil
        self.smtpUTF8 = false
        self.ret = nil
        self.envid = nil
        self.auth = nil
        self.requireTLS = false
    }

    /// The parameters in wire form, each preceded by SP, in a fixed order.
    public var wireText: String {
        var text = ""
        if let size { text += " SIZE=\(size)" }
        if let body { text += " BODY=\(body.rawValue)" }
        if smtpUTF8 { text += " SMTPUTF8" }
        if let ret { text += " RET=\(ret.rawValue)" }
        if let envid { text += " ENVID=\(XText.encode(envid))" }
        if let auth { text += " AUTH=\(XText.encode(auth))" }
        if requireTLS { text += " REQUIRETLS" }
        return text
    }

    // RFC 5321 §4.1.2:  Mail-parameters = esmtp-param *(SP esmtp-param)
    // RFC 5321 §4.1.1.11: an unrecognized parameter is 555.
    init(parsing parameters: [ESMTPParameter]) throws(SMTPCommandError) {
        self.init()
        for parameter in parameters {
            switch parameter.keyword {
            case "SIZE":
                // RFC 1870 §3: size-value ::= 1*20DIGIT
                let digits = try parameter.requiredValue()
                guard (1...20).contains(digits.utf8.count), digits.utf8.allSatisfy(ASCII.isDigit) else {
                    throw .invalidParameter("SIZE value must be a number")
                }
                size = Int(digits) ?? Int.max
            case "BODY":
                // RFC 6152 §2: body-value ::= "7BIT" / "8BITMIME"; RFC 3030 §3: "BINARYMIME"
                guard let value = BodyType(rawValue: try parameter.requiredValue().uppercased()) else {
                    throw .invalidParameter("BODY value must be 7BIT, 8BITMIME or BINARYMIME")
                }
                body = value
            case "SMTPUTF8":
                // RFC 6531 §3.4: SMTPUTF8 takes no value.
                try parameter.requireNoValue()
                smtpUTF8 = true
            case "RET":
                // RFC 3461 §4.3: ret-value = "FULL" / "HDRS"
                guard let value = DSNReturn(rawValue: try parameter.requiredValue().uppercased()) else {
                    throw .invalidParameter("RET value must be FULL or HDRS")
                }
                ret = value
            case "ENVID":
                // RFC 3461 §4.4: envid-value = xtext, at most 100 characters.
                let encoded = try parameter.requiredValue()
                guard encoded.utf8.count <= 100, let value = XText.decode(encoded) else {
                    throw .invalidParameter("ENVID value must be xtext of at most 100 characters")
                }
                envid = value
            case "AUTH":
                // RFC 4954 §5: auth-param = "AUTH=" xtext
                guard let value = XText.decode(try parameter.requiredValue()) else {
                    throw .invalidParameter("AUTH value must be xtext")
                }
                auth = value
            case "REQUIRETLS":
                // RFC 8689 §4.1: REQUIRETLS takes no value.
                try parameter.requireNoValue()
                requireTLS = true
            default:
                throw .unknownParameter(parameter.keyword)
            }
        }
    }
}
