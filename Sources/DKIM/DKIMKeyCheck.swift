/// Compares a published key record with the configured private key (`petrel dkim check`).
public struct DKIMKeyCheck: Sendable, Equatable {
    public enum Severity: String, Sendable, Equatable {
        /// The record will make signatures by this key fail.
        case error
        /// Signatures verify, but something deserves attention.
        case warning
    }

    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        public var severity: Severity
        public var message: String
        public var description: String { "\(severity.rawValue): \(message)" }
    }

    public var findings: [Finding]

    /// True when no finding is an error: signatures made with the key will verify against the record.
    public var matches: Bool { !findings.contains { $0.severity == .error } }

    /// Checks `record` (the TXT text) against `key` as a verifier would use it (RFC 6376 §3.6.1, §6.1.2).
    public init(record: String, key: DKIMPrivateKey) {
        var findings: [Finding] = []
        func error(_ message: String) { findings.append(Finding(severity: .error, message: message)) }
        func warning(_ message: String) { findings.append(Finding(severity: .warning, message: message)) }
        do {
            let parsed = try DKIMKeyRecord(parsing: record)
            if parsed.keyType != key.keyType {
                error("record has k=\(parsed.keyType.rawValue), the key is \(key.keyType.rawValue)")
            }
            if let published = parsed.publicKey {
                if !published.matches(key) {
                    error("record p= is a different public key from the configured private key")
                }
            } else {
                error("record p= is empty: the key is revoked")
            }
            if !parsed.allows(key.algorithm) {
                error("record h= does not allow \(key.algorithm.hashName)")
            }
            if !parsed.allowsEmail {
                error("record s= does not allow email")
            }
            if parsed.testing {
                warning("record has t=y: receivers treat the domain as testing DKIM")
            }
            if !record.trimmingPrefixWhitespace.hasPrefix("v=DKIM1") {
                warning("record does not start with v=DKIM1 (optional, but expected by some verifiers)")
            }
            if key.keyType == .rsa && key.bits < 2048 {
                warning("RSA key of \(key.bits) bits; 2048 is recommended (RFC 8301 section 3.2)")
            }
        } catch {
            self.findings = [Finding(severity: .error, message: error.description)]
            return
        }
        self.findings = findings
    }
}

extension String {
    fileprivate var trimmingPrefixWhitespace: Substring {
        self.drop { $0 == " " || $0 == "\t" }
    }
}
