import Testing

@testable import MailDNS

@Suite("Merging A and AAAA")
struct AddressAnswerMergerTests {
    typealias Outcome = AddressAnswerMerger.Outcome

    static let four: Outcome = .success(DNSAnswer(records: [.ipv4("192.0.2.1")], ttl: .seconds(300)))
    static let six: Outcome = .success(DNSAnswer(records: [.ipv6("2001:db8::1")], ttl: .seconds(100)))
    static let nx: Outcome = .failure(.nxdomain("h", negativeTTL: .seconds(40)))
    static let nx2: Outcome = .failure(.nxdomain("h", negativeTTL: .seconds(20)))
    static let nodata: Outcome = .failure(.noData("h", negativeTTL: .seconds(50)))
    static let servfail: Outcome = .failure(.serverFailure("h"))
    static let timeout: Outcome = .failure(.timeout("h"))

    @Test(
        "outcomes",
        arguments: [
            (
                four, six,
                Outcome.success(DNSAnswer(records: [.ipv4("192.0.2.1"), .ipv6("2001:db8::1")], ttl: .seconds(100)))
            ),
            (four, nodata, four),
            (nodata, six, six),
            (servfail, six, six),
            (four, timeout, four),
            (nodata, servfail, servfail),
            (timeout, nx, timeout),
            (nx, nx2, .failure(.nxdomain("h", negativeTTL: .seconds(20)))),
            (nx, nodata, .failure(.noData("h", negativeTTL: .seconds(40)))),
            (nodata, nodata, .failure(.noData("h", negativeTTL: .seconds(50)))),
        ]
    )
    func merge(ipv4: Outcome, ipv6: Outcome, expected: Outcome) {
        #expect(AddressAnswerMerger.merge(name: "h", ipv4: ipv4, ipv6: ipv6) == expected)
    }
}
