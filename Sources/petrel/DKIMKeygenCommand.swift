import ArgumentParser
import DKIM

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `petrel dkim keygen`: a new key pair; the private key goes to `DIR/SELECTOR.private` (mode 0600, never
/// overwritten) and the TXT record to publish at `SELECTOR._domainkey.DOMAIN` is printed.
struct DKIMKeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Generate a DKIM key pair and print the DNS TXT record to publish."
    )

    enum Algorithm: String, ExpressibleByArgument, CaseIterable {
        case rsa
        case ed25519
    }

    @Option(help: "Signing domain (d=).")
    var domain: String

    @Option(help: "Selector (s=).")
    var selector: String

    @Option(help: "Key algorithm: rsa (rsa-sha256) or ed25519 (ed25519-sha256, RFC 8463).")
    var algorithm: Algorithm = .rsa

    @Option(help: "RSA modulus size, 1024 to 4096 (RFC 8301: at least 1024; 2048 recommended).")
    var bits: Int?

    @Option(help: "Directory for the private key file.")
    var out: String = "."

    func validate() throws {
        guard DKIMNames.isValidDomain(domain) else { throw ValidationError("--domain \(domain) is not a domain name") }
        guard DKIMNames.isValidSelector(selector) else {
            throw ValidationError("--selector \(selector) is not a valid selector (letters, digits, - and .)")
        }
        if let bits {
            guard algorithm == .rsa else { throw ValidationError("--bits applies to RSA keys only") }
            guard (1024...4096).contains(bits) else { throw ValidationError("--bits must be 1024 to 4096") }
        }
    }

    func run() throws {
        let key: DKIMPrivateKey
        do {
            key = algorithm == .rsa ? try .generateRSA(bits: bits ?? 2048) : try .generateEd25519()
        } catch {
            throw DKIMCommandError(error.description)
        }
        let path = (out.hasSuffix("/") ? out : out + "/") + selector + ".private"
        try Self.writeSecret(key.pem, to: path)
        let name = DKIMKeyRecord.queryName(selector: selector, domain: domain)
        print("; private key written to \(path) (mode 0600)")
        print(DKIMZoneText.txtRecordLine(name: name, text: key.keyRecordText))
    }

    /// Creates `path` with mode 0600, refusing to replace an existing file.
    static func writeSecret(_ text: String, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw DKIMCommandError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else {
            throw DKIMCommandError("cannot set the mode of \(path): \(String(cString: strerror(errno)))")
        }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard result > 0 else {
                throw DKIMCommandError("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            written += result
        }
    }
}

/// Syntax checks for command-line names (RFC 6376 §3.1 selectors are sub-domains; RFC 1035 §2.3.1 labels).
enum DKIMNames {
    static func isValidDomain(_ name: String) -> Bool {
        var trimmed = name
        if trimmed.hasSuffix(".") { trimmed.removeLast() }
        let labels = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && trimmed.utf8.count <= 253 && labels.allSatisfy(isValidLabel)
    }

    static func isValidSelector(_ selector: String) -> Bool {
        let labels = selector.split(separator: ".", omittingEmptySubsequences: false)
        return !labels.isEmpty && labels.allSatisfy(isValidLabel)
    }

    private static func isValidLabel(_ label: Substring) -> Bool {
        !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
            && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}
