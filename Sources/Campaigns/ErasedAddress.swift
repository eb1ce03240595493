import COpenSSL

/// What stays of an erased contact's address on the suppression list: `sha256:` and the lower-case hex of
/// SHA-256 over the UTF-8 of the normalised address. It cannot be read back, yet the same address hashes to
/// the same text, so `ContactStore.isErasedSuppressed(_:)`, `ContactStore.create` and `ContactImporter`
/// can still refuse it (an exact lookup on the unique `suppression.address` index).
public enum ErasedAddress {
    public static let prefix = "sha256:"

    /// The marker for a normalised address.
    public static func hash(_ normalizedAddress: String) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        var address = normalizedAddress
        address.withUTF8 { bytes in
            digest.withUnsafeMutableBufferPointer { output in
                _ = SHA256(bytes.baseAddress, bytes.count, output.baseAddress)
            }
        }
        let hexDigits = Array("0123456789abcdef".utf8)
        var text = Array(prefix.utf8)
        text.reserveCapacity(prefix.utf8.count + 64)
        for byte in digest {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
