import Foundation

#if canImport(Glibc)
    import Glibc

    let datagramSocketType = Int32(SOCK_DGRAM.rawValue)
    private let streamSocket = Int32(SOCK_STREAM.rawValue)
#elseif canImport(Darwin)
    import Darwin

    let datagramSocketType = SOCK_DGRAM
    private let streamSocket = SOCK_STREAM
#endif

/// A dnsmasq on 127.0.0.1 and a free port, serving a configuration written
/// by the test; stopped by `stop()` (or `withDNSServer`). Tests fail with a
/// clear message when dnsmasq is not installed.
final class DNSTestServer: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let host = "127.0.0.1"
    let port: Int
    private let process: Process
    private let directory: URL

    /// Starts dnsmasq with `configuration` (dnsmasq.conf lines; listening
    /// options are added) and `arguments` (for options longer than the
    /// 1,024 characters a dnsmasq.conf line may have), and waits until it
    /// accepts TCP connections.
    static func start(configuration: String, arguments: [String] = []) throws -> DNSTestServer {
        guard let executable = findDnsmasq() else {
            throw Failure(
                description: "dnsmasq not found in PATH or /usr/sbin: install it with apt-get install -y dnsmasq-base"
            )
        }
        var lastError: Failure?
        for _ in 0..<5 {
            do {
                return try DNSTestServer(
                    executable: executable,
                    configuration: configuration,
                    arguments: arguments,
                    port: try freePort()
                )
            } catch let error as Failure {
                lastError = error  // Most likely the port was taken meanwhile.
            }
        }
        throw lastError ?? Failure(description: "dnsmasq did not start")
    }

    private init(executable: String, configuration: String, arguments: [String], port: Int) throws {
        self.port = port
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("petrel-dns-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let configURL = directory.appendingPathComponent("dnsmasq.conf")
        let conf = """
            no-resolv
            no-hosts
            bind-interfaces
            listen-address=127.0.0.1
            port=\(port)

            """ + configuration
        try conf.write(to: configURL, atomically: true, encoding: .utf8)
        let logURL = directory.appendingPathComponent("dnsmasq.log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        // --no-daemon: foreground, no pid file, no change of user.
        process.arguments = ["--no-daemon", "--conf-file=\(configURL.path)", "--log-facility=-", "--log-queries"] + arguments
        process.standardOutput = log
        process.standardError = log
        try process.run()
        try log.close()
        do {
            try waitUntilListening()
        } catch {
            stop()
            throw error
        }
    }

    /// What dnsmasq logged (start-up errors, queries).
    var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("dnsmasq.log"), encoding: .utf8)) ?? ""
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    private func waitUntilListening() throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw Failure(description: "dnsmasq exited: \(log)")
            }
            if Self.acceptsTCP(port: port) {
                return
            }
            usleep(10_000)
        }
        throw Failure(description: "dnsmasq not listening on port \(port) after 5 s: \(log)")
    }

    private static func findDnsmasq() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/sbin", "/sbin"]
        return directories.map { "\($0)/dnsmasq" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A port free for both UDP and TCP on 127.0.0.1 at the time of asking.
    static func freePort() throws -> Int {
        for _ in 0..<20 {
            let (udp, port) = try boundSocket(type: datagramSocketType, port: 0)
            defer { close(udp) }
            if let (tcp, _) = try? boundSocket(type: streamSocket, port: port) {
                close(tcp)
                return port
            }
        }
        throw Failure(description: "no free port")
    }

    /// A socket bound to 127.0.0.1:`port` (0: any), and its port.
    static func boundSocket(type: Int32, port: Int) throws -> (Int32, Int) {
        let fd = socket(AF_INET, type, 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw Failure(description: "bind 127.0.0.1:\(port): \(errno)")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    private static func acceptsTCP(port: Int) -> Bool {
        let fd = socket(AF_INET, streamSocket, 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                connect(fd, raw, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// Runs `body` with a started server and stops it afterwards, thrown error
/// or not.
func withDNSServer<T>(
    _ configuration: String,
    arguments: [String] = [],
    _ body: (DNSTestServer) async throws -> T
) async throws -> T {
    let server = try DNSTestServer.start(configuration: configuration, arguments: arguments)
    do {
        let result = try await body(server)
        server.stop()
        return result
    } catch {
        server.stop()
        throw error
    }
}

func closeSocket(_ fd: Int32) {
    close(fd)
}
