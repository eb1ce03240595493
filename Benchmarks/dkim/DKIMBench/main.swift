// dkim-bench: DKIM signatures per second on one thread, Petrel's signer beside raw libcrypto doing the same
// cryptographic work. Writes the messages and keys it used to --out so dkimpy can sign the very same input
// (see run.sh). Release builds only.
import COpenSSL
import DKIM
import Foundation
import NIOCore

struct Options {
    var out = FileManager.default.temporaryDirectory.appendingPathComponent("petrel-dkim-bench").path
    var seconds = 3.0
    var rounds = 5

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--out": out = iterator.next() ?? out
            case "--seconds": seconds = Double(iterator.next() ?? "") ?? seconds
            case "--rounds": rounds = max(1, Int(iterator.next() ?? "") ?? rounds)
            default:
                FileHandle.standardError.write(Data("usage: dkim-bench [--out DIR] [--seconds S] [--rounds N]\n".utf8))
                exit(64)
            }
        }
    }
}

/// A transactional message of about `size` octets: realistic headers, text and HTML parts, and for larger sizes a
/// base64 attachment filling the rest.
func makeMessage(size: Int) -> String {
    var generator = SplitMix64(seed: UInt64(size))
    var message = """
        From: "Petrel Shop" <orders@shop.example.com>\r
        To: "Customer Name" <customer.name@example.net>\r
        Subject: Your order #123456 has shipped — tracking inside\r
        Date: Wed, 25 Nov 2026 15:18:01 +0000\r
        Message-ID: <20261125151801.123456.abcdef@shop.example.com>\r
        MIME-Version: 1.0\r
        List-Unsubscribe: <https://shop.example.com/unsubscribe/abcdef0123456789>,\r
         <mailto:unsubscribe@shop.example.com?subject=abcdef0123456789>\r
        List-Unsubscribe-Post: List-Unsubscribe=One-Click\r
        Feedback-ID: order-shipped:transactional:petrel\r
        Content-Type: multipart/mixed; boundary="=_outer_boundary"\r
        \r
        --=_outer_boundary\r
        Content-Type: multipart/alternative; boundary="=_alt_boundary"\r
        \r
        --=_alt_boundary\r
        Content-Type: text/plain; charset=utf-8\r
        Content-Transfer-Encoding: quoted-printable\r
        \r

        """
    let words = ["order", "shipped", "tracking", "parcel", "delivery", "thanks", "your", "the", "of", "and"]
    func paragraph(_ length: Int) -> String {
        var text = ""
        var line = ""
        while text.utf8.count + line.utf8.count < length {
            line += words[Int(generator.next() % UInt64(words.count))] + " "
            if line.utf8.count > 70 {
                text += line + "\r\n"
                line = ""
            }
        }
        return text + line + "\r\n"
    }
    message += paragraph(1200)
    message += "--=_alt_boundary\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>\r\n"
    message += paragraph(1500) + "</p></body></html>\r\n--=_alt_boundary--\r\n"
    let remaining = size - message.utf8.count - 200
    if remaining > 0 {
        message += "--=_outer_boundary\r\nContent-Type: application/pdf; name=\"invoice.pdf\"\r\n"
        message += "Content-Transfer-Encoding: base64\r\n\r\n"
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var written = 0
        while written < remaining - 80 {
            message += String((0..<76).map { _ in alphabet[Int(generator.next() % 64)] }) + "\r\n"
            written += 78
        }
    }
    return message + "--=_outer_boundary--\r\n"
}

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Thread CPU time in seconds: rates are per second of one core's time, so that other load on the machine
/// (this benchmark shares two cores with builds) does not count against the code measured. `openssl speed`
/// divides by CPU time too unless given -elapsed.
func threadCPUTime() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Runs `body` repeatedly for about `seconds` of CPU time; operations per CPU second.
func measure(seconds: Double, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<20 { try body() }  // warm-up
    var count = 0
    let start = threadCPUTime()
    var elapsed = 0.0
    while elapsed < seconds {
        for _ in 0..<10 { try body() }
        count += 10
        elapsed = threadCPUTime() - start
    }
    return Double(count) / elapsed
}

func column(_ text: String, _ width: Int, right: Bool = false) -> String {
    let padding = String(repeating: " ", count: max(0, width - text.count))
    return right ? padding + text : text + padding
}

/// Raw libcrypto for the same message: SHA-256 over the body octets and one signature over header-sized data
/// (≈ the canonical header block), with no DKIM parsing or canonicalisation.
func rawLibcrypto(key: OpaquePointer, ed25519: Bool, body: [UInt8], header: [UInt8]) -> Bool {
    var digest = [UInt8](repeating: 0, count: 32)
    var length: UInt32 = 0
    guard EVP_Digest(body, body.count, &digest, &length, EVP_sha256(), nil) == 1 else { return false }
    guard let context = EVP_MD_CTX_new() else { return false }
    defer { EVP_MD_CTX_free(context) }
    let message = ed25519 ? digest : header
    guard EVP_DigestSignInit(context, nil, ed25519 ? nil : EVP_sha256(), nil, key) == 1 else { return false }
    var signature = [UInt8](repeating: 0, count: 512)
    var signatureLength = signature.count
    return EVP_DigestSign(context, &signature, &signatureLength, message, message.count) == 1
}

/// Raw libcrypto, the key operation alone (what `openssl speed` measures).
func rawSignOnly(key: OpaquePointer, ed25519: Bool, data: [UInt8]) -> Bool {
    guard let context = EVP_MD_CTX_new() else { return false }
    defer { EVP_MD_CTX_free(context) }
    guard EVP_DigestSignInit(context, nil, ed25519 ? nil : EVP_sha256(), nil, key) == 1 else { return false }
    var signature = [UInt8](repeating: 0, count: 512)
    var signatureLength = signature.count
    return EVP_DigestSign(context, &signature, &signatureLength, data, data.count) == 1
}

func loadKey(pem: String) -> OpaquePointer? {
    let bytes = Array(pem.utf8)
    return bytes.withUnsafeBytes { raw in
        guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
        defer { BIO_free(bio) }
        return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
    }
}

let options = Options(CommandLine.arguments)
let outDirectory = URL(fileURLWithPath: options.out)
try FileManager.default.createDirectory(at: outDirectory, withIntermediateDirectories: true)

var seed = [UInt8](repeating: 0, count: 32)
var system = SystemRandomNumberGenerator()
for index in seed.indices { seed[index] = UInt8.random(in: 0...255, using: &system) }
let keys: [(name: String, key: DKIMPrivateKey)] = [
    ("rsa2048", try DKIMPrivateKey.generateRSA(bits: 2048)), ("ed25519", try DKIMPrivateKey(ed25519Seed: seed)),
]
try Data(keys[0].key.pem.utf8).write(to: outDirectory.appendingPathComponent("rsa2048.pem"))
// dkimpy reads an Ed25519 private key as the base64 of its 32-octet seed.
try Data(Data(seed).base64EncodedString().utf8).write(to: outDirectory.appendingPathComponent("ed25519.seed"))

let sizes = [("4KB", 4 * 1024), ("100KB", 100 * 1024)]
var records: [String: String] = [:]
print(
    column("key", 9) + column("size", 6) + column("petrel sig/s", 14, right: true)
        + column("raw same work/s", 17, right: true) + column("raw sign only/s", 17, right: true)
        + column("petrel/raw", 12, right: true))
for (sizeName, size) in sizes {
    let text = makeMessage(size: size)
    try Data(text.utf8).write(to: outDirectory.appendingPathComponent("message-\(sizeName).eml"))
    let message = ByteBuffer(string: text)
    let bodyStart = text.utf8.firstRange(of: Array("\r\n\r\n".utf8))!.upperBound
    let body = Array(text.utf8[bodyStart...])
    for (keyName, key) in keys {
        let selector = keyName
        let signer = DKIMSigner(domain: "shop.example.com", selector: selector, key: key)
        records[selector + "._domainkey.shop.example.com"] = key.keyRecordText
        let field = try signer.sign(message: message, time: 1_800_000_000)
        let headerData = Array(text.utf8[..<bodyStart]) + Array(field.utf8)
        guard let rawKey = loadKey(pem: key.pem) else { fatalError("libcrypto cannot read the key back") }
        defer { EVP_PKEY_free(rawKey) }
        let isEd25519 = key.keyType == .ed25519
        // Interleaved rounds, best of each: the machine is shared, and interference only ever lowers a rate.
        var petrel = 0.0
        var raw = 0.0
        var signOnly = 0.0
        let round = options.seconds / Double(options.rounds)
        for _ in 0..<options.rounds {
            petrel = max(
                petrel, try measure(seconds: round) { _ = try signer.sign(message: message, time: 1_800_000_000) })
            raw = max(
                raw,
                measure(seconds: round) {
                    _ = rawLibcrypto(key: rawKey, ed25519: isEd25519, body: body, header: headerData)
                })
            signOnly = max(
                signOnly,
                measure(seconds: round) {
                    _ = rawSignOnly(key: rawKey, ed25519: isEd25519, data: Array(headerData.prefix(32)))
                })
        }
        print(
            column(keyName, 9) + column(sizeName, 6) + column(String(Int(petrel)), 14, right: true)
                + column(String(Int(raw)), 17, right: true) + column(String(Int(signOnly)), 17, right: true)
                + column(String(format: "%.1f%%", petrel / raw * 100), 12, right: true))
    }
}
let recordData = try JSONSerialization.data(withJSONObject: records, options: [.sortedKeys])
try recordData.write(to: outDirectory.appendingPathComponent("keys.json"))
print("inputs written to \(outDirectory.path)")
