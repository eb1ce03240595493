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
    private let pid: pid_t
    private var exited = false
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
        let configPath = directory.appendingPathComponent("dnsmasq.conf").path
        let conf = """
            no-resolv
            no-hosts
            bind-interfaces
            listen-address=127.0.0.1
            port=\(port)

            """ + configuration
        try conf.write(toFile: configPath, atomically: true, encoding: .utf8)
        // --no-daemon: foreground, no pid file, no change of user.
        pid = try Self.spawn(
            executable,
            arguments: ["--no-daemon", "--conf-file=\(configPath)", "--log-facility=-", "--log-queries"] + arguments,
            output: directory.appendingPathComponent("dnsmasq.log").path
        )
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

    /// Whether dnsmasq still runs; reaps it once it has exited.
    private var isRunning: Bool {
        if exited { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == 0 { return true }
        exited = true
        return false
    }

    /// SIGTERM, and SIGKILL if dnsmasq is still there a second later.
    func stop() {
        if isRunning {
            kill(pid, SIGTERM)
            let deadline = ContinuousClock.now.advanced(by: .seconds(1))
            while isRunning, ContinuousClock.now < deadline {
                usleep(5_000)
            }
            if isRunning {
                kill(pid, SIGKILL)
                var status: Int32 = 0
                _ = waitpid(pid, &status, 0)
                exited = true
            }
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// posix_spawn rather than Foundation's Process: the child must start
    /// with no signal blocked (threads of the test process block most
    /// signals, and a child inheriting that mask ignores SIGTERM).
    private static func spawn(_ executable: String, arguments: [String], output: String) throws -> pid_t {
        #if canImport(Glibc)
            var attributes = posix_spawnattr_t()
            var actions = posix_spawn_file_actions_t()
        #else
            var attributes: posix_spawnattr_t?
            var actions: posix_spawn_file_actions_t?
        #endif
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer {
            for pointer in argv {
                free(pointer)
            }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else { throw Failure(description: "posix_spawn \(executable): \(result)") }
        return pid
    }

    private func waitUntilListening() throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while ContinuousClock.now < deadline {
            guard isRunning else {
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
