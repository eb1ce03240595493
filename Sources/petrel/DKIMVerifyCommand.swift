import ArgumentParser
import DKIM
import Foundation
import NIOCore

/// `petrel dkim verify FILE`: verifies every DKIM-Signature of a message file and prints an
/// Authentication-Results field (RFC 8601). Exit status 0 when every signature passes, 1 otherwise.
struct DKIMVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the DKIM signatures of a message file and print Authentication-Results."
    )

    @Argument(help: "Message file (RFC 5322; CRLF or LF line ends).")
    var file: String

    @Option(
        name: .customLong("key-record"),
        help: ArgumentHelp("A key record: selector._domainkey.domain=TXT-TEXT (repeatable).", valueName: "name=text"))
    var keyRecords: [String] = []

    @Option(
        name: .customLong("keys-file"),
        help: "Key records in zone-file text, or a JSON object name → TXT text. Without these options, DNS.")
    var keysFile: String?

    @Option(name: .customLong("authserv-id"), help: "The authserv-id of the Authentication-Results field.")
    var authservID: String = "petrel"

    @Option(help: "Nameserver for key lookups, HOST or HOST:PORT (default: /etc/resolv.conf).")
    var nameserver: String?

    @Flag(name: .customLong("allow-sha1"), help: "Accept rsa-sha1 signatures (RFC 8301 forbids them).")
    var allowSHA1 = false

    @Option(help: "Verification time, seconds since the Unix epoch (for x=); default now.")
    var now: Int64?

    func run() async throws {
        let message = try DKIMFiles.readMessage(file)
        let options = DKIMVerifier.Options(allowSHA1: allowSHA1)
        let time = now ?? Int64(Date().timeIntervalSince1970)
        let results: [DKIMVerificationResult]
        if let resolver = try staticResolver() {
            results = await DKIMVerifier(resolver: resolver, options: options).verify(message: message, now: time)
        } else {
            results = try await DKIMDNSKeyResolver.withDNS(nameserver: nameserver) { dns in
                await DKIMVerifier(resolver: dns, options: options).verify(message: message, now: time)
            }
        }
        print(AuthenticationResults.field(authservID: authservID, results: results), terminator: "")
        if results.isEmpty || results.contains(where: { $0.status != .pass }) {
            throw ExitCode(1)
        }
    }

    /// Key records given with `--key-record` / `--keys-file`; nil when there are none (then DNS is asked).
    func staticResolver() throws -> StaticDKIMKeyResolver? {
        guard keysFile != nil || !keyRecords.isEmpty else { return nil }
        var resolver = StaticDKIMKeyResolver()
        if let keysFile {
            resolver = try DKIMFiles.keyRecords(keysFile)
        }
        for entry in keyRecords {
            guard let equals = entry.firstIndex(of: "=") else {
                throw DKIMCommandError("--key-record \(entry): expected selector._domainkey.domain=TXT-TEXT")
            }
            let name = String(entry[..<equals])
            guard name.contains("._domainkey.") else {
                throw DKIMCommandError("--key-record \(entry): \(name) is not a selector._domainkey.domain name")
            }
            let text = String(entry[entry.index(after: equals)...])
            do {
                _ = try DKIMKeyRecord(parsing: text)
            } catch {
                // Still published as given: the verifier reports it as permerror, which is the point of verifying.
                FileHandle.standardError.write(Data("warning: --key-record \(name): \(error)\n".utf8))
            }
            resolver.add(name: name, record: text)
        }
        return resolver
    }
}
