import ArgumentParser

/// `petrel dkim`: keys, verification and record checks (RFC 6376, RFC 8463).
struct DKIMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dkim",
        abstract: "DKIM keys, signing and verification.",
        subcommands: [DKIMKeygenCommand.self, DKIMVerifyCommand.self, DKIMCheckCommand.self]
    )
}
