/// Why a message could not be delivered, in the vocabulary of the bounce corpus (Sisimai's reason names),
/// so results can be compared with established parsers and mapped onto suppression policy.
public enum BounceReason: String, CaseIterable, Sendable, Hashable {
    case authFailure = "authfailure"
    case badReputation = "badreputation"
    case blocked
    case contentError = "contenterror"
    case exceedLimit = "exceedlimit"
    case expired
    case feedback
    case filtered
    case hasMoved = "hasmoved"
    case hostUnknown = "hostunknown"
    case mailboxFull = "mailboxfull"
    case mailerError = "mailererror"
    case messageTooBig = "mesgtoobig"
    case networkError = "networkerror"
    case notAccept = "notaccept"
    case notCompliantRFC = "notcompliantrfc"
    case onHold = "onhold"
    case policyViolation = "policyviolation"
    case rejected
    case requirePTR = "requireptr"
    case securityError = "securityerror"
    case spamDetected = "spamdetected"
    case speeding
    case suspend
    case syntaxError = "syntaxerror"
    case systemError = "systemerror"
    case systemFull = "systemfull"
    case tooManyConnections = "toomanyconn"
    case undefined
    case userUnknown = "userunknown"
    case virusDetected = "virusdetected"
    case noRelaying = "norelaying"

    /// A permanent failure of the recipient address itself: never mail it again. Policy, content, reputation
    /// and mailbox-full failures are not hard, even with a 5xx code, because the address may still work.
    public func isHard(permanent: Bool) -> Bool {
        switch self {
        case .userUnknown, .hostUnknown, .hasMoved: return true
        case .notAccept: return permanent
        default: return false
        }
    }

    /// The detail number of the pseudo status `x.0.9NN` used when a bounce carries no status code.
    var pseudoDetail: Int {
        switch self {
        case .undefined, .feedback: return 900
        case .onHold: return 901
        case .syntaxError: return 902
        case .noRelaying: return 909
        case .filtered: return 910
        case .userUnknown: return 911
        case .hostUnknown: return 912
        case .hasMoved: return 916
        case .rejected: return 918
        case .suspend: return 921
        case .mailboxFull: return 922
        case .exceedLimit: return 923
        case .systemError: return 930
        case .systemFull: return 931
        case .notAccept: return 932
        case .messageTooBig: return 934
        case .mailerError: return 939
        case .networkError: return 944
        case .tooManyConnections: return 945
        case .speeding: return 946
        case .expired: return 947
        case .contentError: return 960
        case .securityError: return 970
        case .blocked, .virusDetected: return 971
        case .authFailure, .policyViolation: return 972
        case .requirePTR: return 973
        case .notCompliantRFC: return 974
        case .badReputation: return 975
        case .spamDetected: return 980
        }
    }

    /// The pseudo status code standing for this reason (`5.0.911`, or `4.0.9NN` for a temporary failure).
    public func pseudoStatus(temporary: Bool) -> String {
        var detail = pseudoDetail
        if temporary && self == .filtered { detail = 924 }
        return "\(temporary ? 4 : 5).0.\(detail)"
    }
}
