/// A listening address as written in the configuration: `127.0.0.1:2525`, `[::1]:2525`, `localhost:2525`.
public struct SocketAddressSpec: Hashable, Sendable, CustomStringConvertible {
    /// An IPv4 address, an IPv6 address (without brackets) or a host name.
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, with IPv6 addresses in brackets; the port must be 1–65535.
    public init?(_ text: String) {
        guard let (host, port) = Self.split(text), let port = Int(port), (1...65535).contains(port) else {
            return nil
        }
        self.init(host: host, port: port)
    }

    /// `127.0.0.1:2525`, `[::1]:2525`
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Splits `host:port` after checking the host; the port is returned as its digits (up to five), unchecked.
    static func split(_ text: String) -> (host: String, port: String)? {
        let host: Substring
        let rest: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            guard IPAddress.parseIPv6(host) != nil else { return nil }
            rest = text[text.index(after: close)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            guard IPAddress.parseIPv4(host) != nil || DomainName.isValid(String(host)) else { return nil }
            rest = text[colon...]
        }
        guard rest.hasPrefix(":") else { return nil }
        let port = rest.dropFirst()
        guard (1...5).contains(port.count), port.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        return (String(host), String(port))
    }
}
