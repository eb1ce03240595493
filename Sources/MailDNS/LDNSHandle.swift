import CLDNS

/// One ldns stub resolver. ldns resolver objects are not thread-safe: a
/// handle is used by one thread at a time, lent out by `LDNSHandlePool`.
final class LDNSHandle {
    private let resolver: UnsafeMutablePointer<ldns_resolver>

    init(_ configuration: LDNSResolver.Configuration) throws(LDNSResolver.ConfigurationError) {
        var created: UnsafeMutablePointer<ldns_resolver>?
        if let nameservers = configuration.nameservers {
            guard !nameservers.isEmpty else { throw .init("no nameserver configured") }
            created = ldns_resolver_new()
            guard let created else { throw .init("ldns_resolver_new failed") }
            for address in nameservers {
                let type = address.contains(":") ? LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A
                guard let rdf = ldns_rdf_new_frm_str(type, address) else {
                    ldns_resolver_deep_free(created)
                    throw .init("nameserver \(address) is not an IP address")
                }
                let status = ldns_resolver_push_nameserver(created, rdf)
                ldns_rdf_deep_free(rdf)
                guard status == LDNS_STATUS_OK else {
                    ldns_resolver_deep_free(created)
                    throw .init("nameserver \(address): \(Self.describe(status))")
                }
            }
        } else {
            let status = ldns_resolver_new_frm_file(&created, configuration.resolvConfPath)
            guard status == LDNS_STATUS_OK, let resolver = created else {
                throw .init("\(configuration.resolvConfPath): \(Self.describe(status))")
            }
            guard ldns_resolver_nameserver_count(resolver) > 0 else {
                ldns_resolver_deep_free(resolver)
                throw .init("\(configuration.resolvConfPath): no nameserver line")
            }
        }
        guard let resolver = created else { throw .init("ldns resolver not created") }
        guard (1...65_535).contains(configuration.port), (1...255).contains(configuration.attempts),
            configuration.timeout > .zero
        else {
            ldns_resolver_deep_free(resolver)
            throw .init("port, attempts or timeout out of range")
        }
        ldns_resolver_set_port(resolver, UInt16(configuration.port))
        let (seconds, attoseconds) = configuration.timeout.components
        ldns_resolver_set_timeout(
            resolver,
            timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        )
        ldns_resolver_set_retry(resolver, UInt8(configuration.attempts))
        ldns_resolver_set_recursive(resolver, true)
        ldns_resolver_set_dnssec(resolver, false)
        // Names are absolute: no resolv.conf `domain`/`search` appended.
        ldns_resolver_set_defnames(resolver, false)
        ldns_resolver_set_dnsrch(resolver, false)
        // RFC 7766 §5: retry over TCP when the UDP answer is truncated.
        ldns_resolver_set_fallback(resolver, true)
        if let size = configuration.ednsUDPSize {
            ldns_resolver_set_edns_udp_size(resolver, UInt16(clamping: size))
        }
        self.resolver = resolver
    }

    deinit {
        ldns_resolver_deep_free(resolver)
    }

    /// Sends one query and waits for its answer. Blocks: call only from a
    /// thread-pool thread.
    func query(_ name: String, type: DNSRecordType) throws(DNSError) -> DNSResponse {
        guard let owner = ldns_dname_new_frm_str(name) else { throw .invalidName(name) }
        defer { ldns_rdf_deep_free(owner) }
        // ldns marks a nameserver that timed out as unreachable and never
        // asks it again on this resolver; a pooled resolver lives long, so
        // every query starts with all nameservers eligible.
        for index in 0..<ldns_resolver_nameserver_count(resolver) {
            ldns_resolver_set_nameserver_rtt(resolver, index, Int(LDNS_RESOLV_RTT_MIN))
        }
        var packet: UnsafeMutablePointer<ldns_pkt>?
        let status = ldns_resolver_query_status(
            &packet,
            resolver,
            owner,
            ldns_rr_type(rawValue: UInt32(type.rawValue)),
            LDNS_RR_CLASS_IN,
            UInt16(LDNS_RD)
        )
        defer { ldns_pkt_free(packet) }
        switch status {
        case LDNS_STATUS_OK:
            guard let packet else { throw .malformed(name) }
            return LDNSPacketDecoder.decode(packet)
        case LDNS_STATUS_NETWORK_ERR, LDNS_STATUS_RES_NO_NS, LDNS_STATUS_SOCKET_ERROR, LDNS_STATUS_ADDRESS_ERR:
            throw .timeout(name)
        case LDNS_STATUS_DOMAINNAME_OVERFLOW, LDNS_STATUS_LABEL_OVERFLOW, LDNS_STATUS_EMPTY_LABEL,
            LDNS_STATUS_DDD_OVERFLOW:
            throw .invalidName(name)
        default:
            throw .malformed(name)
        }
    }

    static func describe(_ status: ldns_status) -> String {
        guard let text = ldns_get_errorstr_by_id(status) else { return "ldns status \(status.rawValue)" }
        return String(cString: text)
    }
}
