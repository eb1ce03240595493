/// A parsed signature whose body and header data are ready, waiting for its key (RFC 6376 §6.1.2, §6.1.3).
struct DKIMPendingVerification: Sendable {
    var signature: DKIMSignature
    var algorithm: DKIMAlgorithm
    var computedBodyHash: [UInt8]
    var canonicalBodyLength: Int
    var headerData: [UInt8]

    static func baseResult(_ signature: DKIMSignature) -> DKIMVerificationResult {
        DKIMVerificationResult(
            status: .pass, domain: signature.domain, selector: signature.selector, identity: signature.identity,
            algorithm: signature.algorithmName, signaturePrefix: String(signature.signatureText.prefix(8)))
    }

    func finish(with answer: DKIMTXTLookupResult, options: DKIMVerifier.Options) -> DKIMVerificationResult {
        var result = Self.baseResult(signature)
        func failed(_ status: DKIMVerificationResult.Status, _ reason: String) -> DKIMVerificationResult {
            result.status = status
            result.reason = reason
            return result
        }
        let texts: [String]
        switch answer {
        case .records(let records): texts = records
        case .notFound: return failed(.permerror, "no key for signature")
        case .temporaryFailure(let detail): return failed(.temperror, "key unavailable: \(detail)")
        }
        // §3.6.2.2: a verifier may try each record; the first one that parses is used.
        var record: DKIMKeyRecord?
        var firstError: DKIMKeyRecord.ParseError?
        for text in texts {
            do {
                record = try DKIMKeyRecord(parsing: text)
                break
            } catch {
                firstError = firstError ?? error
            }
        }
        guard let record else {
            return failed(.permerror, firstError?.description ?? "no key for signature")
        }
        // §6.1.2 steps 6–10.
        guard let publicKey = record.publicKey else { return failed(.permerror, "key revoked") }
        guard record.keyType == algorithm.keyType else {
            return failed(.permerror, "key type k=\(record.keyType.rawValue) does not match a=\(algorithm.rawValue)")
        }
        guard record.allows(algorithm) else {
            return failed(.permerror, "key h= does not allow \(algorithm.hashName)")
        }
        guard record.allowsEmail else { return failed(.permerror, "key s= does not allow email") }
        if record.strictIdentity && signature.identityDomain != DKIMDomain.normalized(signature.domain) {
            guard !options.enforceStrictIdentity else {
                return failed(.permerror, "key t=s forbids an i= subdomain")
            }
            result.notes.append("i= subdomain despite key t=s")
        }
        if publicKey.keyType == .rsa && publicKey.bits < options.minimumRSABits {
            return failed(.permerror, "RSA key of \(publicKey.bits) bits is too short (RFC 8301 section 3.2)")
        }
        if record.testing { result.notes.append("key in testing mode (t=y)") }
        if algorithm == .rsaSHA1 { result.notes.append("rsa-sha1 accepted") }
        // §6.1.3: "If the value of the l= tag is greater than the body length, the signature MUST be treated
        // as failing"; a shorter l= is accepted but noted, since unsigned content may have been appended.
        if let length = signature.bodyLength {
            if length > canonicalBodyLength {
                return failed(.fail, "l=\(length) exceeds the body length \(canonicalBodyLength)")
            }
            if length < canonicalBodyLength {
                result.notes.append("l=\(length) signs \(length) of \(canonicalBodyLength) body octets")
            }
        }
        guard computedBodyHash == signature.bodyHash else { return failed(.fail, "body hash did not verify") }
        guard publicKey.verify(signature: signature.signature, headerData: headerData, algorithm: algorithm) else {
            return failed(.fail, "signature did not verify")
        }
        return result
    }
}
