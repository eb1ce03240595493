import Campaigns
import Foundation
import Storage
import XCTest

final class TemplateStoreTests: XCTestCase {
    var directory: URL!
    var database: PetrelDatabase!
    var store: TemplateStore!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tpl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        database = try PetrelDatabase(path: directory.appendingPathComponent("petrel.db").path)
        let clock = Clock()
        store = TemplateStore(database: database, now: { clock.tick() })
    }

    override func tearDownWithError() throws {
        store = nil
        database = nil
        try? FileManager.default.removeItem(at: directory)
    }

    /// 1000, 1001, 1002 … seconds.
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var seconds = 999.0
        func tick() -> Date {
            lock.withLock {
                seconds += 1
                return Date(timeIntervalSince1970: seconds)
            }
        }
    }

    let first = EmailTemplate(subject: "Hi {{first_name}}", html: "<p>One</p>", text: "One")
    let second = EmailTemplate(subject: "Hello", html: "<p>Two</p>")

    func testCreateGetUpdateVersions() throws {
        let created = try store.create(name: "welcome", template: first)
        XCTAssertEqual(created.version, 1)
        XCTAssertEqual(created.template, first)
        XCTAssertEqual(created.created, Date(timeIntervalSince1970: 1000))
        XCTAssertEqual(try store.get(id: created.id), created)

        let updated = try store.update(id: created.id, template: second)
        XCTAssertEqual(updated.version, 2)
        XCTAssertEqual(updated.name, "welcome")
        XCTAssertEqual(updated.created, created.created)
        XCTAssertEqual(updated.updated, Date(timeIntervalSince1970: 1001))
        XCTAssertEqual(try store.get(id: created.id), updated)
        XCTAssertEqual(try store.get(id: created.id, version: 1)?.template, first)
        XCTAssertEqual(try store.get(id: created.id, version: 2)?.template, second)
        XCTAssertNil(try store.get(id: created.id, version: 3))
        XCTAssertEqual(try store.versions(id: created.id).map(\.version), [2, 1])

        let renamed = try store.update(id: created.id, name: "hello", template: first)
        XCTAssertEqual(renamed.name, "hello")
        XCTAssertEqual(renamed.version, 3)
        XCTAssertEqual(try store.get(id: created.id)?.name, "hello")
    }

    func testNameIsUnique() throws {
        let one = try store.create(name: "a", template: first)
        XCTAssertThrowsError(try store.create(name: "a", template: second)) { error in
            XCTAssertEqual(error as? TemplateStoreError, .nameTaken("a"))
        }
        _ = try store.create(name: "b", template: second)
        XCTAssertThrowsError(try store.update(id: one.id, name: "b", template: first)) { error in
            XCTAssertEqual(error as? TemplateStoreError, .nameTaken("b"))
            XCTAssertEqual((error as? TemplateStoreError)?.httpStatus, 409)
        }
        XCTAssertEqual(try store.get(id: one.id)?.version, 1)
    }

    func testTemplatesThatDoNotCompileAreRefused() throws {
        XCTAssertThrowsError(try store.create(name: "bad", template: EmailTemplate(subject: "{{#x}}", html: ""))) {
            XCTAssertEqual(($0 as? TemplateCompileError)?.part, .subject)
        }
        XCTAssertEqual(try store.list().total, 0)
        let good = try store.create(name: "good", template: first)
        XCTAssertThrowsError(try store.update(id: good.id, template: EmailTemplate(subject: "", html: "{{/y}}")))
        XCTAssertEqual(try store.get(id: good.id)?.version, 1)
    }

    func testMissingTemplates() throws {
        XCTAssertNil(try store.get(id: 99))
        XCTAssertThrowsError(try store.update(id: 99, template: first)) {
            XCTAssertEqual($0 as? TemplateStoreError, .notFound(id: 99))
        }
        XCTAssertThrowsError(try store.versions(id: 99)) {
            XCTAssertEqual($0 as? TemplateStoreError, .notFound(id: 99))
        }
        XCTAssertThrowsError(try store.delete(id: 99)) {
            XCTAssertEqual($0 as? TemplateStoreError, .notFound(id: 99))
        }
    }

    func testListPages() throws {
        for index in 1...5 { _ = try store.create(name: "t\(index)", template: first) }
        _ = try store.update(id: 2, template: second)
        let page = try store.list(page: 1, perPage: 2)
        XCTAssertEqual(page.total, 5)
        XCTAssertEqual(page.items.map(\.name), ["t1", "t2"])
        XCTAssertEqual(page.items.map(\.version), [1, 2])
        XCTAssertEqual(page.items[1].template, second)
        XCTAssertEqual(try store.list(page: 3, perPage: 2).items.map(\.name), ["t5"])
        XCTAssertEqual(try store.list(page: 4, perPage: 2).items, [])
        XCTAssertThrowsError(try store.list(page: 0, perPage: 2))
    }

    func testDeleteRefusedWhileACampaignUsesIt() throws {
        let used = try store.create(name: "used", template: first)
        let free = try store.create(name: "free", template: first)
        try database.pool.write { db in
            try db.execute(
                sql: "INSERT INTO campaign (name, template_id, from_address, created, updated) VALUES (?, ?, ?, 0, 0)",
                arguments: ["c", used.id, "news@example.org"])
        }
        XCTAssertThrowsError(try store.delete(id: used.id)) { error in
            XCTAssertEqual(error as? TemplateStoreError, .inUse(id: used.id), "\(error)")
        }
        XCTAssertNotNil(try store.get(id: used.id))
        try store.delete(id: free.id)
        XCTAssertNil(try store.get(id: free.id))
        XCTAssertNil(try store.get(id: free.id, version: 1))
        XCTAssertEqual(try store.list().total, 1)
    }

    func testStoredTemplateEncodesDates() throws {
        let created = try store.create(name: "json", template: first)
        let data = try JSONEncoder().encode(created)
        XCTAssertEqual(try JSONDecoder().decode(StoredTemplate.self, from: data), created)
    }
}
