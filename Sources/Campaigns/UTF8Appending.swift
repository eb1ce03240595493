extension Array where Element == UInt8 {
    /// Appends `text`'s UTF-8 bytes with one copy when they are contiguous (native and literal strings), not
    /// through the generic byte-by-byte path: message composition appends hundreds of strings per message.
    mutating func appendUTF8(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ append(contentsOf: $0) }) == nil {
            append(contentsOf: text.utf8)
        }
    }
}
