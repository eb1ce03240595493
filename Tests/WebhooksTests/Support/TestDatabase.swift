import Foundation
import GRDB
import Logging
import Webhooks

/// A SQLite file in its own temporary directory, with the webhook schema applied on every open.
struct TestDatabase {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "webhooks-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    var path: String { directory.appendingPathComponent("petrel.sqlite").path }

    /// Opens the file (as Petrel does: a WAL pool) and runs the migrations.
    func open() throws -> DatabasePool {
        let pool = try DatabasePool(path: path)
        var migrator = DatabaseMigrator()
        WebhookSchema.register(in: &migrator)
        try migrator.migrate(pool)
        return pool
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A logger that drops everything, so expected failures do not flood the test output.
let quietLogger = Logger(label: "webhooks-test") { _ in SwiftLogNoOpLogHandler() }

/// Runs the dispatcher's worker while `body` runs, then shuts it down, also when `body` throws.
func whileRunning<T: Sendable>(_ dispatcher: WebhookDispatcher, _ body: () async throws -> T) async throws -> T {
    let worker = Task { await dispatcher.run() }
    do {
        let result = try await body()
        await dispatcher.shutdown()
        await worker.value
        return result
    } catch {
        await dispatcher.shutdown()
        await worker.value
        throw error
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` seconds pass; returns whether it held.
func eventually(timeout: TimeInterval = 5, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
