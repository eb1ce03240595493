import Bounces
import Foundation
import Storage
import Suppression
import Testing

/// A fresh petrel.sqlite in a temporary directory.
func temporaryDatabasePath() throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("petrel-suppression-\(UUID())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.appendingPathComponent("petrel.sqlite").path
}

func record(
    _ recipient: String, reason: BounceReason = .userUnknown, status: String = "5.1.1", hard: Bool = true,
    action: String = "failed", feedbackType: String = ""
) -> BounceRecord {
    BounceRecord(
        recipient: recipient, reason: reason, deliveryStatus: status, replyCode: nil, isHardBounce: hard,
        diagnosticCode: "550 \(status) test", action: action, feedbackType: feedbackType, messageID: "",
        originalHeaders: [])
}

@Suite struct SuppressionStoreTests {
    @Test func addLookupRemoveWithNormalisation() throws {
        let store = try SuppressionStore(database: PetrelDatabase(path: temporaryDatabasePath()))
        #expect(try store.lookup("jane@example.com") == nil)
        let first = try store.add(
            SuppressionEntry(address: "Jane@Example.com", kind: .manual, reason: "asked", source: "cli"))
        #expect(first.added && first.entry.address == "jane@example.com")
        let again = try store.add(
            SuppressionEntry(address: "jane@example.com", kind: .hardBounce, reason: "userunknown", source: "X"))
        #expect(!again.added && again.entry.kind == .manual, "the first entry stays in force")
        let found = try #require(try store.lookup("JANE@example.COM"))
        #expect(found.kind == .manual && found.reason == "asked" && found.source == "cli")
        #expect(store.count == 1)
        #expect(try store.remove("jane@EXAMPLE.com")?.address == "jane@example.com")
        #expect(try store.lookup("jane@example.com") == nil)
        #expect(try store.remove("jane@example.com") == nil)
    }

    @Test func anotherProcessesAdditionsArriveByRefreshAndItsRemovalsAreNeverWrongAnswers() throws {
        let path = try temporaryDatabasePath()
        let server = try SuppressionStore(database: PetrelDatabase(path: path))
        let cli = try SuppressionStore(database: PetrelDatabase(path: path))
        try cli.add(SuppressionEntry(address: "a@example.com", kind: .manual, reason: "r", source: "cli"))
        #expect(try server.lookup("a@example.com") == nil, "not yet read into the server's index")
        #expect(try server.refresh() == 1)
        #expect(try server.lookup("a@example.com")?.kind == .manual)
        try cli.remove("a@example.com")
        #expect(server.mayContain("a@example.com"), "a stale fingerprint …")
        #expect(try server.lookup("a@example.com") == nil, "… is confirmed against the database")
        // A new store loads every row.
        try cli.add(SuppressionEntry(address: "b@example.com", kind: .complaint, reason: "abuse", source: "q"))
        let restarted = try SuppressionStore(database: PetrelDatabase(path: path))
        #expect(restarted.count == 1)
        #expect(try restarted.lookup("b@example.com")?.reason == "abuse")
    }

    @Test func bulkAddListAndExportOrder() throws {
        let store = try SuppressionStore(database: PetrelDatabase(path: temporaryDatabasePath()))
        let entries = (0..<1000).map {
            SuppressionEntry(address: "user\($0)@Example.com", kind: .manual, reason: "import", source: "test")
        }
        #expect(try store.addAll(entries) == 1000)
        #expect(try store.addAll(entries.prefix(10)) == 0)
        #expect(store.count == 1000)
        #expect(try store.lookup("USER999@example.com") != nil)
        let page = try store.entries(limit: 3)
        #expect(page.map(\.address) == ["user0@example.com", "user1@example.com", "user2@example.com"])
        let next = try store.entries(after: page.last!.id!, limit: 1)
        #expect(next.map(\.address) == ["user3@example.com"])
        var seen = 0
        try store.forEachEntry { _ in seen += 1 }
        #expect(seen == 1000)
    }

    @Test func plusTagFoldingMakesTaggedAddressesOne() throws {
        let store = try SuppressionStore(
            database: PetrelDatabase(path: temporaryDatabasePath()),
            normalization: AddressNormalization(foldCase: true, foldPlusTags: true))
        try store.add(SuppressionEntry(address: "jane+news@example.com", kind: .manual, reason: "r", source: "s"))
        #expect(try store.lookup("jane@example.com") != nil)
        #expect(try store.lookup("Jane+other@example.com") != nil)
        #expect(try store.lookup("janet@example.com") == nil)
    }
}

@Suite struct SuppressionRecorderTests {
    func recorder(_ policy: SuppressionPolicy = SuppressionPolicy()) throws -> SuppressionRecorder {
        SuppressionRecorder(
            store: try SuppressionStore(database: PetrelDatabase(path: temporaryDatabasePath())), policy: policy)
    }

    @Test func aHardBounceSuppressesAtOnce() throws {
        let recorder = try recorder()
        let decision = try recorder.apply(record("gone@example.com"), source: "Q1")
        guard case .suppressed(let entry, let added) = decision else {
            Issue.record("expected suppression, got \(decision)")
            return
        }
        #expect(added && entry.kind == .hardBounce && entry.reason == "userunknown" && entry.source == "Q1")
        #expect(entry.detail.contains("5.1.1"))
    }

    @Test func softBouncesSuppressAtTheLimitWithinTheWindowOnly() throws {
        let recorder = try recorder(SuppressionPolicy(softBounceLimit: 3, softBounceWindow: 3600))
        let soft = record("full@example.com", reason: .mailboxFull, status: "4.2.2", hard: false)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try recorder.apply(soft, source: "Q1", time: start) == .softBounceCounted(count: 1))
        // Two hours later the first one is outside the window.
        #expect(try recorder.apply(soft, source: "Q2", time: start + 7200) == .softBounceCounted(count: 1))
        #expect(try recorder.apply(soft, source: "Q3", time: start + 7300) == .softBounceCounted(count: 2))
        guard case .suppressed(let entry, true) = try recorder.apply(soft, source: "Q4", time: start + 7400) else {
            Issue.record("the third soft bounce within the hour must suppress")
            return
        }
        #expect(entry.kind == .softBounce && entry.reason == "mailboxfull" && entry.source == "Q4")
    }

    @Test func complaintsAndOptOutsSuppressOtherReportsDoNot() throws {
        let recorder = try recorder()
        let abuse = record("c@example.com", reason: .feedback, status: "", hard: false, feedbackType: "abuse")
        guard case .suppressed(let entry, true) = try recorder.apply(abuse, source: "fbl") else {
            Issue.record("an abuse report must suppress")
            return
        }
        #expect(entry.kind == .complaint && entry.reason == "abuse")
        let optOut = record("o@example.com", reason: .feedback, status: "", hard: false, feedbackType: "opt-out")
        guard case .suppressed(let unsubscribed, true) = try recorder.apply(optOut, source: "fbl") else {
            Issue.record("an opt-out report must suppress")
            return
        }
        #expect(unsubscribed.kind == .unsubscribe)
        let dmarc = record("d@example.com", reason: .feedback, status: "", hard: false, feedbackType: "auth-failure")
        guard case .ignored = try recorder.apply(dmarc, source: "fbl") else {
            Issue.record("an auth-failure report says nothing about the recipient")
            return
        }
        #expect(try recorder.store.lookup("d@example.com") == nil)
    }

    @Test func delayNoticesAndPolicySwitchesAreRespected() throws {
        let recorder = try recorder(SuppressionPolicy(hardBounces: false, softBounceLimit: 0, complaints: false))
        for sample in [
            record("a@example.com"), record("b@example.com", hard: false),
            record("c@example.com", hard: false, feedbackType: "abuse"),
        ] {
            guard case .ignored = try recorder.apply(sample, source: "s") else {
                Issue.record("policy switched off, \(sample.recipient) must not be suppressed")
                continue
            }
        }
        let strict = try self.recorder()
        guard case .ignored = try strict.apply(record("w@example.com", hard: false, action: "delayed"), source: "s")
        else {
            Issue.record("a delay notice is not a bounce")
            return
        }
        #expect(strict.store.count == 0)
    }
}
