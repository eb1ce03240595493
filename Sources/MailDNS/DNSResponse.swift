/// A decoded DNS response message (RFC 1035 §4.1), reduced to what mail
/// delivery reads. Built from an ldns packet by `LDNSPacketDecoder`; a plain
/// value so that the interpretation rules can be tested without a network.
struct DNSResponse: Sendable, Hashable {
    /// RFC 1035 §4.1.1 RCODE values the interpreter distinguishes.
    enum ResponseCode: Sendable, Hashable {
        case noError
        case formatError
        case serverFailure
        case nameError
        case notImplemented
        case refused
        case other(Int)

        init(rawValue: Int) {
            switch rawValue {
            case 0: self = .noError
            case 1: self = .formatError
            case 2: self = .serverFailure
            case 3: self = .nameError
            case 4: self = .notImplemented
            case 5: self = .refused
            default: self = .other(rawValue)
            }
        }
    }

    struct Question: Sendable, Hashable {
        var name: String
        var type: DNSRecordType
    }

    var code: ResponseCode
    var question: Question?
    var answers: [DNSResourceRecord]
    var authority: [DNSResourceRecord]

    init(
        code: ResponseCode,
        question: Question?,
        answers: [DNSResourceRecord],
        authority: [DNSResourceRecord] = []
    ) {
        self.code = code
        self.question = question
        self.answers = answers
        self.authority = authority
    }
}

/// The record types MailDNS asks for or reads (RFC 1035 §3.2.2, RFC 3596).
struct DNSRecordType: RawRepresentable, Sendable, Hashable {
    var rawValue: UInt16

    static let a = DNSRecordType(rawValue: 1)
    static let cname = DNSRecordType(rawValue: 5)
    static let soa = DNSRecordType(rawValue: 6)
    static let mx = DNSRecordType(rawValue: 15)
    static let txt = DNSRecordType(rawValue: 16)
    static let aaaa = DNSRecordType(rawValue: 28)
}
