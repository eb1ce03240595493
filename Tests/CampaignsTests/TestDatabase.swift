import Foundation
import Storage

/// A fresh petrel.sqlite in its own temporary directory.
enum TestDatabase {
    static func make() throws -> PetrelDatabase {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("petrel-campaigns-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try PetrelDatabase(path: directory.appendingPathComponent("petrel.sqlite").path)
    }
}
