import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PetrelCrypto
import SMTPCore

@testable import SMTPServer

/// A real Petrel SMTP server on 127.0.0.1 with an ephemeral port, keeping
/// what it accepts in memory: the receiving peer of the client tests.
final class LoopbackServer: Sendable {
    final class Sink: MessageSink {
        let messages = NIOLockedValueBox<[AcceptedMessage]>([])
        let counter = NIOLockedValueBox(0)

        func makeQueueID() -> String {
            counter.withLockedValue {
                $0 += 1
                return "R\($0)"
            }
        }

        func accept(_ message: AcceptedMessage, completion: @escaping @Sendable (Result<Void, Error>) -> Void) {
            messages.withLockedValue { $0.append(message) }
            completion(.success(()))
        }
    }

    struct NoUsers: Authenticator {
        func authenticate(user: String, password: [UInt8]) -> Bool { false }
    }

    /// One user, "relay-user" with password "s3cret".
    struct OneUser: Authenticator {
        func authenticate(user: String, password: [UInt8]) -> Bool {
            user == "relay-user" && password == Array("s3cret".utf8)
        }
    }

    let sink = Sink()
    let group: MultiThreadedEventLoopGroup
    let channel: Channel
    let pool: NIOThreadPool
    var port: Int { channel.localAddress?.port ?? 0 }

    init(tls: Bool, localDomains: Set<String> = ["accept.test"], submission: Bool = false) async throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        var context: NIOSSLContext?
        if tls {
            let generated = try SelfSignedCertificate.generate(hostname: "mx.loopback.test")
            let configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(generated.certificatePEM.utf8))
                    .map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(generated.privateKeyPEM.utf8), format: .pem)))
            context = try NIOSSLContext(configuration: configuration)
        }
        let service = SMTPServerService(
            settings: ServerSettings(
                hostname: "mx.loopback.test", isTrustedClient: { _ in false },
                isLocalDomain: { localDomains.contains($0) }),
            listeners: [
                ListenerSettings(
                    name: "in", host: "127.0.0.1", port: 0, mode: submission ? .submission : .inbound, offersTLS: tls)
            ],
            tlsContext: context, sink: sink, authenticator: submission ? OneUser() : NoUsers(), group: group,
            threadPool: pool,
            logger: Logger(label: "loopback"))
        channel = try await service.bind()[0]
    }

    func stop() async {
        try? await channel.close()
        try? await pool.shutdownGracefully()
        try? await group.shutdownGracefully()
    }
}
