import PetrelConfig
import PetrelCrypto
import SMTPServer

/// Checks AUTH credentials against the `[[user]]` entries of the config.
struct ConfigAuthenticator: Authenticator {
    let hashes: [String: String]

    init(users: [UserConfig]) {
        hashes = Dictionary(users.map { ($0.name, $0.passwordHash) }, uniquingKeysWith: { first, _ in first })
    }

    func authenticate(user: String, password: [UInt8]) -> Bool {
        guard let hash = hashes[user] else {
            // Spend the same time as for a known user, so that timing does
            // not tell which user names exist.
            _ = PasswordHash.verify(password: password, against: Self.decoy)
            return false
        }
        return PasswordHash.verify(password: password, against: hash)
    }

    private static let decoy = (try? PasswordHash.make(password: "decoy")) ?? ""
}
