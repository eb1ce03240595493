import CLDNS

@testable import MailDNS

/// A response built from zone-file text with ldns, sent through wire format
/// and back, then decoded as the resolver decodes what it receives.
enum ZonePacket {
    struct BuildError: Error, CustomStringConvertible {
        var description: String
    }

    static func response(
        rcode: UInt8 = 0,
        question: String,
        answer: [String] = [],
        authority: [String] = []
    ) throws -> DNSResponse {
        guard let packet = ldns_pkt_new() else { throw BuildError(description: "ldns_pkt_new") }
        defer { ldns_pkt_free(packet) }
        ldns_pkt_set_qr(packet, true)
        ldns_pkt_set_rcode(packet, rcode)
        var rr: UnsafeMutablePointer<ldns_rr>?
        guard ldns_rr_new_question_frm_str(&rr, question, nil, nil) == LDNS_STATUS_OK else {
            throw BuildError(description: "bad question \(question)")
        }
        ldns_pkt_push_rr(packet, LDNS_SECTION_QUESTION, rr)
        for (section, lines) in [(LDNS_SECTION_ANSWER, answer), (LDNS_SECTION_AUTHORITY, authority)] {
            for line in lines {
                guard ldns_rr_new_frm_str(&rr, line, 0, nil, nil) == LDNS_STATUS_OK else {
                    throw BuildError(description: "bad record \(line)")
                }
                ldns_pkt_push_rr(packet, section, rr)
            }
        }
        var wire: UnsafeMutablePointer<UInt8>?
        var size = 0
        guard ldns_pkt2wire(&wire, packet, &size) == LDNS_STATUS_OK, let wire else {
            throw BuildError(description: "ldns_pkt2wire")
        }
        defer { free(wire) }
        var decoded: UnsafeMutablePointer<ldns_pkt>?
        guard ldns_wire2pkt(&decoded, wire, size) == LDNS_STATUS_OK, let decoded else {
            throw BuildError(description: "ldns_wire2pkt")
        }
        defer { ldns_pkt_free(decoded) }
        return LDNSPacketDecoder.decode(decoded)
    }
}
