import ArgumentParser
import Foundation
import PetrelCrypto

struct AuthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth",
        abstract: "SMTP AUTH users.",
        subcommands: [HashPassword.self]
    )

    struct HashPassword: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hash-password",
            abstract: "Read a password on standard input and print its hash for [[user]] password_hash."
        )

        func run() throws {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("no password on standard input")
            }
            print(try PasswordHash.make(password: line))
        }
    }
}
