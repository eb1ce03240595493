import COpenSSL

/// Checks a TLS peer's certificate chain against the system trust store and
/// the expected host name, so that opportunistic TLS can record whether the
/// peer was authenticated without refusing to encrypt when it was not.
public enum CertificateChainVerifier {
    public enum Outcome: Sendable, Hashable {
        case trusted
        case untrusted(reason: String)
    }

    /// `chain`: DER certificates, leaf first.
    public static func verify(chain: [[UInt8]], hostname: String?) -> Outcome {
        guard !chain.isEmpty else { return .untrusted(reason: "no certificate") }
        var reason = [CChar](repeating: 0, count: 256)
        let pointers = chain.map { der -> UnsafeMutablePointer<UInt8> in
            let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: max(der.count, 1))
            copy.initialize(from: der, count: der.count)
            return copy
        }
        defer { for pointer in pointers { pointer.deallocate() } }
        let lengths = chain.map(\.count)
        let ok = pointers.map { UnsafePointer<UInt8>($0) as UnsafePointer<UInt8>? }.withUnsafeBufferPointer { ders in
            lengths.withUnsafeBufferPointer { lengthPointer in
                petrel_verify_chain(
                    ders.baseAddress, lengthPointer.baseAddress, Int32(chain.count), hostname, &reason, reason.count)
            }
        }
        if ok == 1 { return .trusted }
        return .untrusted(
            reason: String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}
