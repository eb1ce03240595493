import SMTPCore

/// Settings of outbound SMTP sessions.
public struct SMTPClientSettings: Sendable {
    /// The name sent in EHLO/HELO (the egress source's name).
    public var ehloName: String
    public var tlsPolicy: TLSPolicy
    /// Verify certificates against the system trust store (off only in
    /// tests, where peers use self-signed certificates).
    public var verifyCertificates: Bool
    /// Local address to bind (the egress source), nil for any.
    public var localAddress: String?
    public var timeouts: Timeouts
    /// AUTH PLAIN credentials for an upstream relay (RFC 4954); sent only
    /// over TLS unless `tlsPolicy` is disabled on purpose.
    public var credentials: Credentials?

    public struct Credentials: Sendable, Hashable {
        public var user: String
        public var password: String

        public init(user: String, password: String) {
            self.user = user
            self.password = password
        }
    }

    /// RFC 5321 §4.5.3.2: the client's timeouts per command.
    public struct Timeouts: Sendable {
        public var connect: Duration = .seconds(30)
        /// §4.5.3.2.1 initial 220: 5 minutes.
        public var greeting: Duration = .seconds(300)
        /// §4.5.3.2.2-3 MAIL and RCPT: 5 minutes.
        public var command: Duration = .seconds(300)
        /// §4.5.3.2.4 DATA initiation: 2 minutes.
        public var dataInitiation: Duration = .seconds(120)
        /// §4.5.3.2.6 DATA termination: 10 minutes.
        public var dataTermination: Duration = .seconds(600)

        public init() {}
    }

    public init(
        ehloName: String, tlsPolicy: TLSPolicy = .opportunistic, verifyCertificates: Bool = true,
        localAddress: String? = nil, timeouts: Timeouts = Timeouts()
    ) {
        self.ehloName = ehloName
        self.tlsPolicy = tlsPolicy
        self.verifyCertificates = verifyCertificates
        self.localAddress = localAddress
        self.timeouts = timeouts
    }
}
