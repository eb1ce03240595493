import Foundation
import PetrelConfig

/// Exit status for a bad configuration (sysexits.h EX_CONFIG).
let exitConfigError: Int32 = 78

extension ConfigOption {
    /// The configuration named by `--config`, or the defaults; a bad file
    /// ends the process with a message naming the key.
    func load() -> PetrelConfiguration {
        guard let config else { return .defaults }
        do {
            return try PetrelConfiguration.load(path: config)
        } catch {
            FileHandle.standardError.write(Data("petrel: \(error)\n".utf8))
            Foundation.exit(exitConfigError)
        }
    }
}
