/// Checks the base64 alphabet and padding of a SASL response (RFC 4648 §4, RFC 4954 §4).
enum Base64Syntax {
    // RFC 4954 §4:
    //   base64      = base64-terminal / ( 1*(4base64-char) [base64-terminal] )
    //   base64-char = ALPHA / DIGIT / "+" / "/"
    //   base64-terminal = (2base64-char "==") / (3base64-char "=")
    static func isValid(_ bytes: some Collection<UInt8>) -> Bool {
        guard !bytes.isEmpty, bytes.count % 4 == 0 else { return false }
        var padding = 0
        for byte in bytes {
            if byte == ASCII.equals {
                padding += 1
            } else if padding > 0 || !(ASCII.isLetDig(byte) || byte == ASCII.plus || byte == 0x2F) {
                return false
            }
        }
        return padding <= 2
    }
}
