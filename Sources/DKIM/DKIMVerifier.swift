import NIOCore

/// Verifies the DKIM-Signature fields of a message (RFC 6376 §6) and reports one result per signature, top to
/// bottom, in RFC 8601 terms. Pure apart from the key lookups, which go through `DKIMKeyResolver`.
public struct DKIMVerifier: Sendable {
    public struct Options: Sendable {
        /// Accept `rsa-sha1` signatures. RFC 8301 §3.1 says rsa-sha1 "MUST NOT be used for signing or verifying",
        /// so this is off by default; it exists for old archives and test vectors.
        public var allowSHA1 = false
        /// RFC 8301 §3.2: verifiers must handle 1024 to 4096 bits; shorter keys are refused.
        public var minimumRSABits = 1024
        /// Signatures beyond this many are not evaluated (bounds the work one message can cause).
        public var maximumSignatures = 10
        /// Enforce a key record's `t=s` flag: the `i=` domain must equal `d=` (RFC 6376 §3.6.1). dkimpy and
        /// OpenDKIM do not, and OpenDKIM's own test vectors rely on that; turn this off to match them.
        public var enforceStrictIdentity = true

        public init(
            allowSHA1: Bool = false, minimumRSABits: Int = 1024, maximumSignatures: Int = 10,
            enforceStrictIdentity: Bool = true
        ) {
            self.allowSHA1 = allowSHA1
            self.minimumRSABits = minimumRSABits
            self.maximumSignatures = maximumSignatures
            self.enforceStrictIdentity = enforceStrictIdentity
        }
    }

    public var resolver: any DKIMKeyResolver
    public var options: Options

    public init(resolver: any DKIMKeyResolver, options: Options = Options()) {
        self.resolver = resolver
        self.options = options
    }

    /// One result per DKIM-Signature field, top to bottom; empty when there is none (report `dkim=none`).
    /// `now` is seconds since the Unix epoch, for `x=` (RFC 6376 §3.5).
    public func verify(message: ByteBuffer, now: Int64) async -> [DKIMVerificationResult] {
        // Phase 1, synchronous: everything that needs the message bytes.
        let prepared = message.withUnsafeReadableBytes { prepare($0, now: now) }
        // Phase 2: key lookups, then the signature checks.
        var results: [DKIMVerificationResult] = []
        for item in prepared {
            switch item {
            case .done(let result):
                results.append(result)
            case .needsKey(let pending):
                let name = DKIMKeyRecord.queryName(
                    selector: pending.signature.selector, domain: pending.signature.domain)
                let answer = await resolver.lookupTXT(name)
                results.append(pending.finish(with: answer, options: options))
            }
        }
        return results
    }

    private enum Prepared {
        case done(DKIMVerificationResult)
        case needsKey(DKIMPendingVerification)
    }

    private func prepare(_ bytes: UnsafeRawBufferPointer, now: Int64) -> [Prepared] {
        let message = DKIMParsedMessage(bytes)
        let body = UnsafeRawBufferPointer(rebasing: bytes[message.bodyOffset...])
        var bodyHashes: [DKIMBodyHashKey: (digest: [UInt8], canonicalLength: Int)] = [:]
        var prepared: [Prepared] = []
        let signatureFields = message.fields.filter { $0.lowercasedName == "dkim-signature" }
        for field in signatureFields.prefix(options.maximumSignatures) {
            let signature: DKIMSignature
            do {
                signature = try DKIMSignature(field: field)
            } catch {
                prepared.append(.done(Self.unparsable(field, reason: error.description)))
                continue
            }
            var result = DKIMPendingVerification.baseResult(signature)
            guard let algorithm = signature.algorithm else {
                result.status = .neutral
                result.reason = "unsupported algorithm a=\(signature.algorithmName)"
                prepared.append(.done(result))
                continue
            }
            if algorithm == .rsaSHA1 && !options.allowSHA1 {
                result.status = .neutral
                result.reason = "rsa-sha1 is not accepted (RFC 8301 section 3.1)"
                prepared.append(.done(result))
                continue
            }
            // RFC 6376 §6.1.1: "Verifiers MUST NOT ... consider the signature valid" after x= (PERMFAIL).
            if let expiration = signature.expiration, expiration < now {
                result.status = .fail
                result.reason = "signature expired"
                prepared.append(.done(result))
                continue
            }
            let function: DKIMHasher.Function = algorithm == .rsaSHA1 ? .sha1 : .sha256
            let key = DKIMBodyHashKey(
                canonicalization: signature.canonicalization.body, function: function,
                limit: signature.bodyLength)
            let bodyHash =
                bodyHashes[key]
                ?? DKIMBodyCanonicalizer.hash(
                    body: body, signature.canonicalization.body, function: function, limit: signature.bodyLength)
            bodyHashes[key] = bodyHash
            let headerData = DKIMHeaderHashInput.data(
                signedNames: signature.signedHeaders, fields: message.fields,
                signatureField: signature.fieldWithoutSignature, canonicalization: signature.canonicalization.header)
            prepared.append(
                .needsKey(
                    DKIMPendingVerification(
                        signature: signature, algorithm: algorithm, computedBodyHash: bodyHash.digest,
                        canonicalBodyLength: bodyHash.canonicalLength, headerData: headerData)))
        }
        return prepared
    }

    /// A `neutral` result for a field that is not a valid DKIM-Signature, with d= and s= if they can be read.
    private static func unparsable(_ field: DKIMHeaderField, reason: String) -> DKIMVerificationResult {
        let tags = try? DKIMTagList(parsing: Array(field.value))
        return DKIMVerificationResult(
            status: .neutral, reason: reason, domain: tags?["d"].map(asciiLowercased), selector: tags?["s"])
    }
}

private struct DKIMBodyHashKey: Hashable {
    var canonicalization: DKIMCanonicalizationAlgorithm
    var function: DKIMHasher.Function
    var limit: Int?
}
