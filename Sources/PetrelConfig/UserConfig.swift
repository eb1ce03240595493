/// One `[[user]]` allowed to AUTH.
public struct UserConfig: Sendable, Equatable {
    public var name: String
    /// A PHC-style hash printed by `petrel auth hash-password` (`$pbkdf2-sha256$i=…$…$…`), never the password.
    public var passwordHash: String

    public init(name: String, passwordHash: String) {
        self.name = name
        self.passwordHash = passwordHash
    }

    init(reading reader: inout ConfigReader) throws(ConfigError) {
        name = try reader.requiredString("name")
        passwordHash = try reader.requiredString("password_hash")
        try reader.finish()
        guard passwordHash.hasPrefix("$") else {
            throw reader.error(
                "password_hash",
                "expected a hash printed by `petrel auth hash-password` (starting with \"$\"), not a password"
            )
        }
    }
}
