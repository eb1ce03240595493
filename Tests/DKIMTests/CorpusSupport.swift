import Foundation
import NIOCore

/// Access to `../shared/corpus/dkim` (or `$PETREL_DKIM_CORPUS`): test vectors are read in place, never copied.
enum Corpus {
    static var root: URL {
        if let override = ProcessInfo.processInfo.environment["PETREL_DKIM_CORPUS"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        // <repo>/Tests/DKIMTests/CorpusSupport.swift → <repo>/../shared/corpus/dkim
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return repo.deletingLastPathComponent().appendingPathComponent("shared/corpus/dkim")
    }

    static func url(_ path: String) -> URL {
        root.appendingPathComponent(path)
    }

    static func data(_ path: String) throws -> Data {
        do {
            return try Data(contentsOf: url(path))
        } catch {
            throw CorpusError("cannot read DKIM corpus file \(url(path).path) (set PETREL_DKIM_CORPUS): \(error)")
        }
    }

    static func text(_ path: String) throws -> String {
        String(decoding: try data(path), as: UTF8.self)
    }

    static func buffer(_ path: String) throws -> ByteBuffer {
        ByteBuffer(bytes: try data(path))
    }

    static func json(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: try data(path))
    }

    static func keys(_ folder: String) throws -> [String: String] {
        guard let keys = try json(folder + "/keys.json") as? [String: String] else {
            throw CorpusError("\(folder)/keys.json is not an object of strings")
        }
        return keys
    }

    /// file → one expected value per signature (a single string applies to every signature).
    static func expectations(_ folder: String) throws -> [String: [String]] {
        guard let object = try json(folder + "/expected.json") as? [String: Any] else {
            throw CorpusError("\(folder)/expected.json is not an object")
        }
        return object.compactMapValues { value in
            if let single = value as? String { return [single] }
            return value as? [String]
        }
    }

    static func emlFiles(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url(folder).path).filter { $0.hasSuffix(".eml") }.sorted()
    }
}

struct CorpusError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
