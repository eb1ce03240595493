import NIOConcurrencyHelpers

@testable import MailDNS

/// A resolver answering from tables, counting the questions it gets.
final class StubResolver: DNSResolver {
    private struct State {
        var mx: [String: Result<DNSAnswer<[MXRecord]>, DNSError>] = [:]
        var addresses: [String: Result<DNSAnswer<[IPAddressRecord]>, DNSError>] = [:]
        var txt: [String: Result<DNSAnswer<[String]>, DNSError>] = [:]
        var calls: [String] = []
    }

    private let state = NIOLockedValueBox(State())
    /// How long each lookup takes, to let concurrent callers overlap.
    let delay: Duration

    init(delay: Duration = .zero) {
        self.delay = delay
    }

    func setMX(_ name: String, _ result: Result<DNSAnswer<[MXRecord]>, DNSError>) {
        state.withLockedValue { $0.mx[name] = result }
    }

    func setAddresses(_ name: String, _ result: Result<DNSAnswer<[IPAddressRecord]>, DNSError>) {
        state.withLockedValue { $0.addresses[name] = result }
    }

    func setTXT(_ name: String, _ result: Result<DNSAnswer<[String]>, DNSError>) {
        state.withLockedValue { $0.txt[name] = result }
    }

    /// Questions asked, as "MX name", "ADDR name", "TXT name".
    var calls: [String] {
        state.withLockedValue { $0.calls }
    }

    func mx(_ domain: String) async throws(DNSError) -> DNSAnswer<[MXRecord]> {
        try await answer("MX \(domain)") { $0.mx[domain] ?? .failure(.nxdomain(domain, negativeTTL: nil)) }
    }

    func addresses(_ host: String) async throws(DNSError) -> DNSAnswer<[IPAddressRecord]> {
        try await answer("ADDR \(host)") { $0.addresses[host] ?? .failure(.nxdomain(host, negativeTTL: nil)) }
    }

    func txt(_ name: String) async throws(DNSError) -> DNSAnswer<[String]> {
        try await answer("TXT \(name)") { $0.txt[name] ?? .failure(.nxdomain(name, negativeTTL: nil)) }
    }

    private func answer<T>(
        _ call: String,
        _ pick: (inout State) -> Result<T, DNSError>
    ) async throws(DNSError) -> T {
        let result = state.withLockedValue { state in
            state.calls.append(call)
            return pick(&state)
        }
        if delay > .zero {
            try? await Task.sleep(for: delay)
        }
        return try result.get()
    }
}
