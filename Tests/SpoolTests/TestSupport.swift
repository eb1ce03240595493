import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Spool

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "spool-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    var spool: String { path + "/spool" }
    var segments: String { spool + "/segments" }
    var quarantine: String { spool + "/quarantine" }

    func segmentFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: segments)) ?? []).filter { $0.hasSuffix(".seg") }
            .sorted().map { segments + "/" + $0 }
    }

    func quarantineFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: quarantine)) ?? []).sorted()
    }
}

/// Collects log lines so tests can check that damage is reported.
final class CapturedLog: Sendable {
    private let lines = NIOLockedValueBox<[(Logger.Level, String)]>([])

    var logger: Logger {
        Logger(label: "spool-test") { _ in Handler(log: self) }
    }

    var all: [(Logger.Level, String)] { lines.withLockedValue { $0 } }

    func contains(_ level: Logger.Level, _ text: String) -> Bool {
        all.contains { $0.0 == level && $0.1.contains(text) }
    }

    private struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let details = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            let line = "\(event.message) \(details.joined(separator: " "))"
            log.lines.withLockedValue { $0.append((event.level, line)) }
        }
    }
}

enum Fixtures {
    static func envelope(_ number: Int = 0, recipients: Int = 1) -> SpoolEnvelope {
        SpoolEnvelope(
            sender: "sender\(number)@example.com",
            recipients: (0..<recipients).map { SpoolRecipient(address: "rcpt\($0)-\(number)@example.org") },
            arrival: Date(timeIntervalSince1970: 1_760_000_000 + Double(number) / 7),
            messageID: "<\(number)@example.com>"
        )
    }

    /// Appends messages 0..<count (`envelope(n)`, `body(n, size:)`), calling `afterEach(n)` after each;
    /// returns their ids in order.
    static func append(
        _ count: Int, to spool: Spool, size: Int, afterEach: (Int) async -> Void = { _ in }
    ) async throws -> [QueueID] {
        var ids: [QueueID] = []
        for number in 0..<count {
            ids.append(try await spool.append(envelope: envelope(number), body: body(number, size: size)))
            await afterEach(number)
        }
        return ids
    }

    static func body(_ number: Int = 0, size: Int = 40) -> ByteBuffer {
        var text = "Subject: message \(number)\r\n\r\n"
        while text.utf8.count < size { text += "line \(number)\r\n" }
        return ByteBuffer(string: String(text.utf8.prefix(size))!)
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? -1
    }

    /// Polls `condition` for up to two seconds (garbage collection runs after the waiters complete).
    static func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<200 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }
}
