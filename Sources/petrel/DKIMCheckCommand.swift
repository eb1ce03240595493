import ArgumentParser
import DKIM

/// `petrel dkim check`: compares the published key record (looked up in DNS, or given with `--record`) with the
/// configured private key. Exit status 0 when they match, 1 otherwise.
struct DKIMCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Compare a published DKIM key record with the configured private key."
    )

    @Option(help: "Signing domain (d=).")
    var domain: String

    @Option(help: "Selector (s=); default: every selector configured for the domain in [dkim].")
    var selector: String?

    @Option(help: "A private key file (PEM); default: the key configured in [dkim] for the domain and selector.")
    var key: String?

    @OptionGroup var options: ConfigOption

    @Option(help: "The published TXT record (its text, or a zone-file line holding it) instead of a DNS lookup.")
    var record: String?

    @Option(help: "Nameserver for the lookup, HOST or HOST:PORT (default: /etc/resolv.conf).")
    var nameserver: String?

    func validate() throws {
        guard DKIMNames.isValidDomain(domain) else { throw ValidationError("--domain \(domain) is not a domain name") }
        if let selector, !DKIMNames.isValidSelector(selector) {
            throw ValidationError("--selector \(selector) is not valid")
        }
        if key != nil && selector == nil { throw ValidationError("--key needs --selector") }
    }

    func run() async throws {
        var pairs: [(selector: String, keyFile: String)] = []
        if let key, let selector {
            pairs = [(selector, key)]
        } else {
            // The configured keys of the domain (active and next).
            let config = options.load()
            guard let configured = config.dkim.domains.first(where: { $0.name == domain.lowercased() }) else {
                throw DKIMCommandError(
                    "no [[dkim.domain]] named \(domain) in the configuration; give --selector and --key")
            }
            for entry in configured.keys {
                pairs.append((entry.selector, entry.keyFile))
                if let next = entry.nextSelector, let file = entry.nextKeyFile { pairs.append((next, file)) }
            }
            if let selector { pairs = pairs.filter { $0.selector == selector } }
            guard !pairs.isEmpty else { throw DKIMCommandError("no configured key for selector \(selector ?? "")") }
        }
        var failed = false
        for (selector, keyFile) in pairs {
            let privateKey = try DKIMFiles.privateKey(keyFile)
            let name = DKIMKeyRecord.queryName(selector: selector, domain: domain)
            let text = try await publishedRecord(name)
            let check = DKIMKeyCheck(record: text, key: privateKey)
            for finding in check.findings {
                print(finding)
            }
            if check.matches {
                print("ok: \(name) publishes the \(privateKey.keyType.rawValue) key in \(keyFile)")
            } else {
                print("mismatch: \(name) does not verify signatures made with \(keyFile)")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }

    /// The record text: `--record` as given, the TXT text of a zone-file line, or the TXT record at `name` (the
    /// first one that parses as a key record when there are several, RFC 6376 §3.6.2.2).
    private func publishedRecord(_ name: String) async throws -> String {
        guard let record else {
            let answer = try await DKIMDNSKeyResolver.withDNS(nameserver: nameserver) { await $0.lookupTXT(name) }
            switch answer {
            case .notFound:
                throw DKIMCommandError("\(name): no TXT record published")
            case .temporaryFailure(let detail):
                throw DKIMCommandError("\(name): lookup failed: \(detail)")
            case .records(let texts):
                return texts.first { (try? DKIMKeyRecord(parsing: $0)) != nil } ?? texts[0]
            }
        }
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
