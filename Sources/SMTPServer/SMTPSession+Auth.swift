import Foundation
import SMTPCore

/// AUTH PLAIN (RFC 4616) and LOGIN, as RFC 4954 frames them.
extension SMTPSession {
    mutating func authStart(mechanism: String, initialResponse: String?) -> SessionAction {
        guard listener.mode != .inbound else {
            return fail(SMTPReply(code: 502, enhanced: .init(5, 5, 1), "Error: AUTH not available"))
        }
        guard tlsActive || listener.allowPlaintextAuth else {
            // RFC 4954 §6: 538 when the mechanism needs an encrypted connection.
            return fail(
                SMTPReply(
                    code: 538, enhanced: .init(5, 7, 11), "Encryption required for requested authentication mechanism")
            )
        }
        guard greeting == .ehlo else {
            return fail(SMTPReply(code: 503, enhanced: .init(5, 5, 1), "Error: send EHLO first"))
        }
        guard authUser == nil else {
            return fail(SMTPReply(code: 503, enhanced: .init(5, 5, 1), "Error: already authenticated"))
        }
        guard transaction == nil else {
            return fail(
                SMTPReply(code: 503, enhanced: .init(5, 5, 1), "Error: AUTH not permitted during a mail transaction"))
        }
        switch mechanism {
        case "PLAIN":
            guard let initialResponse else {
                auth = .plain
                inputMode = .authLine
                return .authChallenge(SMTPReply(code: 334, ""))
            }
            // RFC 4954 §4: "=" is an empty initial response.
            return plain(initialResponse == "=" ? "" : initialResponse)
        case "LOGIN":
            guard let initialResponse else {
                auth = .loginUser
                inputMode = .authLine
                return .authChallenge(SMTPReply(code: 334, "VXNlcm5hbWU6"))
            }
            return authLine(initialResponse)
        default:
            return fail(SMTPReply(code: 504, enhanced: .init(5, 5, 4), "Unrecognized authentication mechanism"))
        }
    }

    /// A line answering a 334 challenge, or LOGIN's initial response.
    mutating func authLine(_ line: String) -> SessionAction {
        let exchange = auth ?? .loginUser
        auth = nil
        inputMode = .command
        if line == "*" {
            return fail(SMTPReply(code: 501, enhanced: .init(5, 0, 0), "Authentication cancelled"))
        }
        switch exchange {
        case .plain:
            return plain(line)
        case .loginUser:
            guard let user = Self.decodeBase64(line), let name = String(bytes: user, encoding: .utf8) else {
                return fail(SMTPReply(code: 501, enhanced: .init(5, 5, 2), "Invalid base64 data"))
            }
            auth = .loginPassword(user: name)
            inputMode = .authLine
            return .authChallenge(SMTPReply(code: 334, "UGFzc3dvcmQ6"))
        case .loginPassword(let user):
            guard let password = Self.decodeBase64(line) else {
                return fail(SMTPReply(code: 501, enhanced: .init(5, 5, 2), "Invalid base64 data"))
            }
            inputMode = .waiting
            return .authenticate(user: user, password: password)
        }
    }

    /// RFC 4616 §2: message = [authzid] NUL authcid NUL passwd.
    private mutating func plain(_ response: String) -> SessionAction {
        guard let bytes = Self.decodeBase64(response) else {
            return fail(SMTPReply(code: 501, enhanced: .init(5, 5, 2), "Invalid base64 data"))
        }
        let parts = bytes.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let authcid = String(bytes: parts[1], encoding: .utf8),
            let authzid = String(bytes: parts[0], encoding: .utf8)
        else {
            return fail(SMTPReply(code: 501, enhanced: .init(5, 5, 2), "Malformed PLAIN response"))
        }
        guard authzid.isEmpty || authzid == authcid else {
            return authResult(user: authcid, success: false)
        }
        inputMode = .waiting
        return .authenticate(user: authcid, password: Array(parts[2]))
    }

    /// The password check came back.
    mutating func authResult(user: String, success: Bool) -> SessionAction {
        inputMode = .command
        if success {
            authUser = user
            return .reply(SMTPReply(code: 235, enhanced: .init(2, 7, 0), "Authentication successful"))
        }
        authFailures += 1
        if authFailures >= limits.maxAuthFailures {
            return close(
                SMTPReply(
                    code: 421, enhanced: .init(4, 7, 0), "\(settings.hostname) Error: too many failed authentications")
            )
        }
        return fail(SMTPReply(code: 535, enhanced: .init(5, 7, 8), "Authentication credentials invalid"))
    }

    static func decodeBase64(_ text: String) -> [UInt8]? {
        if text.isEmpty { return [] }
        return Data(base64Encoded: text).map(Array.init)
    }
}
