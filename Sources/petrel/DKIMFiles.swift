import DKIM
import Foundation
import NIOCore

/// File access for `petrel dkim` (the DKIM module itself never touches files).
enum DKIMFiles {
    static func read(_ path: String, what: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DKIMCommandError("cannot read \(what) \(path): \(error.localizedDescription)")
        }
    }

    /// The message as it would be received: a file with bare LF line ends (an editor's or a mailbox's) is read
    /// as CRLF, since SMTP carries CRLF and the signatures were made over it.
    static func readMessage(_ path: String) throws -> ByteBuffer {
        let data = try read(path, what: "message")
        guard !data.isEmpty else { throw DKIMCommandError("message file \(path) is empty") }
        guard data.contains(0x0A), !data.contains(0x0D) else { return ByteBuffer(bytes: data) }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(data.count + data.count / 32)
        for byte in data {
            if byte == 0x0A { buffer.writeInteger(UInt8(0x0D)) }
            buffer.writeInteger(byte)
        }
        return buffer
    }

    static func privateKey(_ path: String) throws -> DKIMPrivateKey {
        let text = String(decoding: try read(path, what: "private key"), as: UTF8.self)
        do {
            return try DKIMPrivateKey(pem: text)
        } catch {
            throw DKIMCommandError("\(path): \(error)")
        }
    }

    /// Key records from zone-file text, or from a JSON object of name → TXT text (the corpus `keys.json` form).
    static func keyRecords(_ path: String) throws -> StaticDKIMKeyResolver {
        let data = try read(path, what: "keys file")
        let text = String(decoding: data, as: UTF8.self)
        if text.drop(while: { $0.isWhitespace }).hasPrefix("{") {
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: String] else {
                throw DKIMCommandError("\(path): not a JSON object of record name → TXT text")
            }
            return StaticDKIMKeyResolver(single: object)
        }
        do {
            let resolver = try DKIMZoneText.resolver(text)
            guard !resolver.records.isEmpty else { throw DKIMCommandError("\(path): no TXT records found") }
            return resolver
        } catch let error as DKIMZoneText.ParseError {
            throw DKIMCommandError("\(path): \(error)")
        }
    }
}
