import ArgumentParser

@main
struct Petrel: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "petrel",
        abstract: "Petrel: a mail transfer agent with a campaign layer.",
        version: version,
        subcommands: [
            ServeCommand.self, QueueCommand.self, AuthCommand.self, DKIMCommand.self, BouncesCommand.self,
            SuppressionCommand.self, ContactsCommand.self, APIKeyCommand.self,
        ]
    )
}

/// `--config FILE`, shared by the commands that read the configuration.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "Configuration file (TOML). Without it, the embedded defaults.")
    var config: String?
}
