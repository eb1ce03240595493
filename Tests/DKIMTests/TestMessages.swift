import NIOCore

/// Messages of the shapes the signer must handle, CRLF throughout, as they would sit in the spool.
enum TestMessages {
    static let shapes = [
        "plain", "long-folded-headers", "utf8-body", "empty-body", "trailing-blank-lines", "998-octet-lines",
        "multipart-attachment", "whitespace-body",
    ]

    static func message(_ shape: String) -> String {
        let base =
            "From: Petrel Test <sender@example.com>\r\nTo: rcpt@example.net\r\nSubject: Test \(shape)\r\n"
            + "Date: Wed, 25 Nov 2026 15:18:01 +0000\r\nMessage-ID: <\(shape)@example.com>\r\n"
        switch shape {
        case "plain":
            return base + "\r\nHello,\r\n\r\nthis is a test.\r\n"
        case "long-folded-headers":
            let recipients = (1...30).map { "Recipient Number \($0) <recipient\($0)@example.net>" }
            return "From: Petrel Test <sender@example.com>\r\nTo: " + recipients.joined(separator: ",\r\n\t") + "\r\n"
                + "Cc: someone@example.org,\r\n    someone-else@example.org\r\n"
                + "Subject: A subject that is quite long and that has been folded over\r\n   several lines\t by a\r\n"
                + " client  with   odd   white space\r\nDate: Wed, 25 Nov 2026 15:18:01 +0000\r\n"
                + "X-Long: " + String(repeating: "x", count: 300) + "\r\n"
                + "Message-ID: <long@example.com>\r\nReferences: <a@example.com>\r\n <b@example.com>\r\n\r\nBody.\r\n"
        case "utf8-body":
            return base + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\nGrüße aus Zürich — ça va? 日本語のテキスト 🐦\r\n"
                + "Ligne avec espaces  \t \r\n\u{00A0}non-breaking\r\n"
        case "empty-body":
            return base + "\r\n"
        case "trailing-blank-lines":
            return base + "\r\nBody line.\r\n\r\n  \r\n\r\n\r\n"
        case "998-octet-lines":
            let line = String(repeating: "0123456789", count: 99) + "abcdefgh"
            return base + "\r\n" + line + "\r\n" + String(repeating: "y ", count: 499) + "\r\n" + line + "\r\n"
        case "multipart-attachment":
            var attachment = ""
            var state: UInt32 = 0x1234_5678
            var raw: [UInt8] = []
            for _ in 0..<3000 {
                state = state &* 1_103_515_245 &+ 12_345
                raw.append(UInt8(truncatingIfNeeded: state >> 16))
            }
            let encoded = base64(raw)
            var index = encoded.startIndex
            while index < encoded.endIndex {
                let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
                attachment += encoded[index..<end] + "\r\n"
                index = end
            }
            return base + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"=_petrel_boundary\"\r\n\r\n"
                + "This is a multi-part message in MIME format.\r\n\r\n--=_petrel_boundary\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\nSee the attachment.\r\n\r\n"
                + "--=_petrel_boundary\r\nContent-Type: application/octet-stream; name=\"data.bin\"\r\n"
                + "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"data.bin\"\r\n\r\n"
                + attachment + "\r\n--=_petrel_boundary--\r\n"
        case "whitespace-body":
            return base + "\r\n  leading\r\ntrailing \t \r\n\tmixed \t  runs\t\r\n \r\nlast\r\n"
        default:
            fatalError("unknown shape \(shape)")
        }
    }

    static func buffer(_ shape: String) -> ByteBuffer {
        ByteBuffer(string: message(shape))
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var text = ""
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value = 0
            for (offset, byte) in chunk.enumerated() { value |= Int(byte) << (16 - 8 * offset) }
            for position in 0..<4 {
                text.append(position <= chunk.count ? alphabet[(value >> (18 - 6 * position)) & 0x3F] : "=")
            }
            index += 3
        }
        return text
    }
}
