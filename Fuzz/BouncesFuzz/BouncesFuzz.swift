import Bounces
import MailMessage

// libFuzzer entry point for the bounce parsers: MIME walk, RFC 3464 DSN fields, RFC 5965 ARF fields and the
// free-text bounce scanner, all reached through BounceParser.parse. Built and run by scripts/fuzz-bounces.sh
// with -parse-as-library so that libFuzzer provides main.
//
// Properties checked for every input besides "does not crash":
// - LF and CRLF line endings give the same records;
// - every record has a reason and, unless it is a feedback report, a status code of the form d.d.d;
// - the MIME walker never returns more parts than its bound.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let parts = MIMEWalker.parts(of: bytes[...], descendIntoMessages: true)
    precondition(parts.count <= MIMEWalker.maximumParts + 1, "part bound exceeded")
    for part in parts.prefix(8) {
        _ = part.text
    }
    let records = BounceParser.parse(bytes)
    for record in records where record.reason != .feedback {
        precondition(record.deliveryStatus.split(separator: ".").count == 3, "bad status \(record.deliveryStatus)")
    }
    if !bytes.contains(0x0D) {
        var crlf: [UInt8] = []
        crlf.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            if byte == 0x0A { crlf.append(0x0D) }
            crlf.append(byte)
        }
        precondition(BounceParser.parse(crlf) == records, "CRLF and LF disagree")
    }
    return 0
}
