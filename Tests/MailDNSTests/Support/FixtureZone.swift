/// The zone the loopback tests query, as dnsmasq configuration
/// (`local=/test/` makes dnsmasq answer NXDOMAIN for unknown names under
/// `test` and NODATA for known names without the type asked).
enum FixtureZone {
    /// Twelve 250-octet strings: a 3,000-octet TXT record that does not fit
    /// a 1,232-octet EDNS UDP answer, so it arrives over TCP.
    static let bigTXTStrings: [String] = (0..<12).map { index in
        String(repeating: Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8(index))), count: 250)
    }

    /// Options too long for a dnsmasq.conf line. (On the command line
    /// dnsmasq keeps quotes as data: the strings go unquoted.)
    static let arguments = ["--txt-record=bigtxt.test," + bigTXTStrings.joined(separator: ",")]

    static let configuration = """
        local=/test/
        local-ttl=300

        # Several preferences, two equal, a host without address (NXDOMAIN)
        # and one with no A/AAAA (NODATA).
        mx-host=multi.test,mx1.multi.test,10
        mx-host=multi.test,mx2.multi.test,10
        mx-host=multi.test,mx3.multi.test,20
        mx-host=multi.test,nowhere.multi.test,30
        mx-host=multi.test,txtonly.multi.test,40
        host-record=mx1.multi.test,192.0.2.1
        host-record=mx2.multi.test,192.0.2.2,2001:db8::2
        host-record=mx3.multi.test,2001:db8::3
        txt-record=txtonly.multi.test,"no address here"

        # RFC 7505 null MX (type 15, preference 0, root exchange), with an A
        # record that must not be used as implicit MX.
        dns-rr=nullmx.test,15,000000
        host-record=nullmx.test,192.0.2.99

        # No MX, an address: the implicit MX.
        host-record=implicit.test,192.0.2.10,2001:db8::10
        host-record=v6only.test,2001:db8::66

        # CNAME chains: the domain (TTL 60 on the first link), an MX host,
        # an alias of an implicit-MX domain.
        cname=alias.test,alias2.test,60
        cname=alias2.test,multi.test
        mx-host=cnamemx.test,mail-alias.cnamemx.test,5
        cname=mail-alias.cnamemx.test,real.cnamemx.test
        host-record=real.cnamemx.test,192.0.2.50
        cname=implicit-alias.test,implicit.test

        # Every MX host without address.
        mx-host=deadhosts.test,gone1.deadhosts.test,10
        mx-host=deadhosts.test,gone2.deadhosts.test,20

        # TXT: two records, one of two strings. (bigtxt.test is in
        # `arguments`.)
        txt-record=txt.test,"v=spf1 -all"
        txt-record=txt.test,"part one ","part two"

        """

    /// A validating dnsmasq forwarding to the fixture: its root trust anchor
    /// matches no key, so every answer is BOGUS and the client gets
    /// SERVFAIL (RFC 4035 §5.5), as from a resolver facing a broken signed
    /// zone.
    static func servfailConfiguration(upstreamPort: Int) -> String {
        """
        dnssec
        trust-anchor=.,12345,8,2,\(String(repeating: "0", count: 64))
        server=127.0.0.1#\(upstreamPort)

        """
    }
}
