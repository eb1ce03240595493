import ArgumentParser
import DKIM

/// `petrel dkim check`: compares the published key record with the configured private key. Until DNS lookups
/// exist the record text comes from `--record`. Exit status 0 when they match, 1 otherwise.
struct DKIMCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Compare a published DKIM key record with the configured private key."
    )

    @Option(help: "Signing domain (d=).")
    var domain: String

    @Option(help: "Selector (s=).")
    var selector: String

    @Option(help: "The configured private key (PEM).")
    var key: String

    @Option(help: "The published TXT record: its text, or a zone-file line holding it.")
    var record: String

    func validate() throws {
        guard DKIMNames.isValidDomain(domain) else { throw ValidationError("--domain \(domain) is not a domain name") }
        guard DKIMNames.isValidSelector(selector) else { throw ValidationError("--selector \(selector) is not valid") }
    }

    func run() throws {
        let privateKey = try DKIMFiles.privateKey(key)
        let text = try recordText()
        let name = DKIMKeyRecord.queryName(selector: selector, domain: domain)
        let check = DKIMKeyCheck(record: text, key: privateKey)
        for finding in check.findings {
            print(finding)
        }
        if check.matches {
            print("ok: \(name) publishes the \(privateKey.keyType.rawValue) key in \(key)")
        } else {
            print("mismatch: \(name) does not verify signatures made with \(key)")
            throw ExitCode(1)
        }
    }

    /// The record text: as given, or the TXT text of a zone-file line (`name IN TXT ( "..." "..." )`).
    private func recordText() throws -> String {
        guard record.contains("\"") else { return record }
        do {
            let records = try DKIMZoneText.txtRecords(in: record)
            guard let first = records.first else { throw DKIMCommandError("--record holds no TXT record") }
            return first.text
        } catch let error as DKIMZoneText.ParseError {
            throw DKIMCommandError("--record: \(error)")
        }
    }
}
