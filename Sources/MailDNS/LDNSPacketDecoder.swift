import CLDNS

/// Turns an ldns packet into a `DNSResponse` value.
enum LDNSPacketDecoder {
    static func decode(_ packet: UnsafeMutablePointer<ldns_pkt>) -> DNSResponse {
        var question: DNSResponse.Question?
        if let list = ldns_pkt_question(packet), ldns_rr_list_rr_count(list) > 0,
            let rr = ldns_rr_list_rr(list, 0)
        {
            question = DNSResponse.Question(
                name: name(ldns_rr_owner(rr)),
                type: DNSRecordType(rawValue: UInt16(truncatingIfNeeded: ldns_rr_get_type(rr).rawValue))
            )
        }
        return DNSResponse(
            code: DNSResponse.ResponseCode(rawValue: Int(ldns_pkt_get_rcode(packet).rawValue)),
            question: question,
            answers: records(ldns_pkt_answer(packet)),
            authority: records(ldns_pkt_authority(packet))
        )
    }

    static func records(_ list: UnsafeMutablePointer<ldns_rr_list>?) -> [DNSResourceRecord] {
        guard let list else { return [] }
        let count = ldns_rr_list_rr_count(list)
        var result: [DNSResourceRecord] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            guard let rr = ldns_rr_list_rr(list, index) else { continue }
            let type = DNSRecordType(rawValue: UInt16(truncatingIfNeeded: ldns_rr_get_type(rr).rawValue))
            result.append(
                DNSResourceRecord(
                    name: name(ldns_rr_owner(rr)),
                    type: type,
                    ttl: ldns_rr_ttl(rr),
                    data: data(of: rr, type: type)
                )
            )
        }
        return result
    }

    private static func data(of rr: UnsafeMutablePointer<ldns_rr>, type: DNSRecordType) -> DNSResourceRecord.RecordData
    {
        let fields = ldns_rr_rd_count(rr)
        func field(_ index: Int) -> UnsafeMutablePointer<ldns_rdf>? {
            index < fields ? ldns_rr_rdf(rr, index) : nil
        }
        switch type {
        case .a:
            guard let rdf = field(0), let text = address(rdf, family: AF_INET, size: 4) else { return .other }
            return .a(text)
        case .aaaa:
            guard let rdf = field(0), let text = address(rdf, family: AF_INET6, size: 16) else { return .other }
            return .aaaa(text)
        case .cname:
            guard let rdf = field(0) else { return .other }
            return .cname(name(rdf))
        case .mx:
            guard let preference = field(0), let exchange = field(1) else { return .other }
            return .mx(preference: Int(ldns_rdf2native_int16(preference)), exchange: name(exchange))
        case .txt:
            var strings: [[UInt8]] = []
            for index in 0..<fields {
                guard let rdf = field(index) else { continue }
                strings.append(characterString(rdf))
            }
            return .txt(strings)
        case .soa:
            // RFC 1035 §3.3.13: MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM.
            guard let minimum = field(6) else { return .other }
            return .soa(minimum: ldns_rdf2native_int32(minimum))
        default:
            return .other
        }
    }

    /// A domain name rdf in presentation form, lowercased, no trailing dot.
    static func name(_ rdf: UnsafeMutablePointer<ldns_rdf>?) -> String {
        guard let rdf, let text = ldns_rdf2str(rdf) else { return "" }
        defer { free(text) }
        return DNSName.fromWire(String(cString: text))
    }

    /// RFC 1035 §3.3: a character-string is a length octet and that many
    /// octets.
    private static func characterString(_ rdf: UnsafeMutablePointer<ldns_rdf>) -> [UInt8] {
        let size = ldns_rdf_size(rdf)
        guard size > 0, let bytes = ldns_rdf_data(rdf) else { return [] }
        let length = min(Int(bytes[0]), size - 1)
        return Array(UnsafeBufferPointer(start: bytes + 1, count: length))
    }

    private static func address(_ rdf: UnsafeMutablePointer<ldns_rdf>, family: Int32, size: Int) -> String? {
        guard ldns_rdf_size(rdf) == size, let bytes = ldns_rdf_data(rdf) else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(family, bytes, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        let text = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: text, as: UTF8.self)
    }
}
