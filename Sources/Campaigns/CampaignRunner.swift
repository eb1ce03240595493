import Foundation
import Logging

/// Sends campaigns: takes the audience a batch at a time in contact id order, writes the batch's ledger rows
/// (pending), renders and spools its messages, marks them queued and hands them to the queue. Between
/// batches it rereads the campaign's status, so a pause or a cancel stops it after the batch in flight;
/// resuming picks up the contacts that have no ledger row yet.
public actor CampaignRunner {
    public struct Settings: Sendable {
        /// Recipients per batch: per ledger transaction and per spool group.
        public var batchSize = 1000
        /// Batches rendered and spooled at once.
        public var batchesInFlight = 3
        /// Whether an address may be mailed (false: suppressed).
        public var isSuppressed: @Sendable (String) -> Bool = { _ in false }
        /// Called when a campaign is sent in full (its id, messages sent by the last run).
        public var onFinished: (@Sendable (_ campaignID: Int64, _ messages: Int) -> Void)?
        public init() {}
    }

    let store: any CampaignRepository
    let ledger: any CampaignLedgerRepository
    let audience: any CampaignAudienceSource
    let composer: any CampaignComposer
    let sink: any CampaignMessageSink
    let settings: Settings
    let logger: Logger
    private var running: [Int64: Task<Void, Never>] = [:]
    /// Set at shutdown: no new batch starts, and campaigns keep their status (they resume at the next start).
    private var stopping = false

    public init(
        store: any CampaignRepository, ledger: any CampaignLedgerRepository, audience: any CampaignAudienceSource,
        composer: any CampaignComposer,
        sink: any CampaignMessageSink, settings: Settings = Settings(),
        logger: Logger = Logger(label: "petrel.campaign")
    ) {
        self.store = store
        self.ledger = ledger
        self.audience = audience
        self.composer = composer
        self.sink = sink
        self.settings = settings
        self.logger = logger
    }

    /// Starts sending a campaign that is in `sending` (no-op when it already runs here).
    public func start(_ campaignID: Int64) {
        guard running[campaignID] == nil, !stopping else { return }
        running[campaignID] = Task { [weak self] in
            guard let self else { return }
            await self.run(campaignID)
            await self.finished(campaignID)
        }
    }

    private func finished(_ campaignID: Int64) { running[campaignID] = nil }

    /// Waits until the campaign's current run ends (tests, shutdown).
    public func wait(_ campaignID: Int64) async {
        await running[campaignID]?.value
    }

    public var isIdle: Bool { running.isEmpty }

    /// Shutdown: lets the batches in flight reach the spool and the ledger, starts no more, and waits.
    public func shutdown() async {
        stopping = true
        for task in running.values { await task.value }
    }

    /// At start: settles every campaign left in `sending` (after a crash or a restart) and resumes it.
    public func recover() {
        do {
            for campaign in try store.campaigns(in: .sending) {
                start(campaign.id)
            }
        } catch {
            logger.error("campaign recovery failed: \(error)")
        }
    }

    /// Moves scheduled campaigns whose time has come to `sending`, starts them, and schedules the next run of
    /// a recurring one.
    public func startDue(now: Date = Date()) {
        do {
            for campaign in try store.campaigns(in: .scheduled) where (campaign.sendAt ?? now) <= now {
                _ = try store.transition(campaign.id, to: .sending, sendAt: nil, now: now)
                if campaign.recurrence != .none, let sendAt = campaign.sendAt,
                    let next = campaign.recurrence.next(after: sendAt)
                {
                    try scheduleNextRun(of: campaign, at: next, now: now)
                }
                start(campaign.id)
            }
        } catch {
            logger.error("campaign scheduler: \(error)")
        }
    }

    private func scheduleNextRun(of campaign: Campaign, at date: Date, now: Date) throws {
        let copy = try store.duplicate(campaign.id, now: now)
        var input = CampaignInput(name: campaign.name, recurrence: campaign.recurrence)
        input.templateID = campaign.templateID
        _ = try store.update(copy.id, input, now: now)
        _ = try store.transition(copy.id, to: .scheduled, sendAt: date, now: now)
        try store.setParent(copy.id, campaign.parentID ?? campaign.id)
    }

    /// Sends a campaign's messages to `addresses` (test sends): no ledger rows, not counted in analytics.
    /// Contacts with those addresses are used when they exist; others get only their address.
    public func sendTest(_ campaignID: Int64, to addresses: [String], contacts: [Contact]) async throws -> [String] {
        let campaign = try store.get(campaignID)
        let prepared = try composer.prepare(campaign)
        var messages: [CampaignMessage] = []
        for address in addresses {
            let contact = contacts.first { $0.email == address } ?? Contact(id: 0, email: address)
            let queueID = sink.makeQueueID()
            messages.append(
                CampaignMessage(
                    queueID: queueID, sender: campaign.fromAddress, recipient: address,
                    body: try prepared.message(for: contact, queueID: queueID), campaignID: campaignID))
        }
        try await sink.store(messages)
        await sink.release(queueIDs: messages.map(\.queueID))
        return messages.map(\.queueID)
    }

    // MARK: - The send loop

    private func run(_ campaignID: Int64) async {
        do {
            try settle(campaignID)
            let campaign = try store.get(campaignID)
            if let test = campaign.abTest {
                try await runABTest(campaign, test)
                return
            }
            let prepared = try composer.prepare(campaign)
            let (sent, finished) = try await sendBatches(campaign, prepared)
            if finished {
                _ = try store.transition(campaignID, to: .sent)
                logger.notice("campaign sent", metadata: ["campaign": "\(campaignID)", "messages": "\(sent)"])
                settings.onFinished?(campaignID, sent)
            } else {
                let status = (try? store.get(campaignID))?.status.rawValue ?? ""
                logger.notice(
                    "campaign stopped",
                    metadata: ["campaign": "\(campaignID)", "status": "\(status)", "messages": "\(sent)"])
            }
        } catch {
            logger.error("campaign \(campaignID) failed: \(error)")
            // A failure while shutting down (the spool closing) is not the campaign's: it resumes at start.
            if !stopping { _ = try? store.transition(campaignID, to: .paused) }
        }
    }

    /// Batches in contact id order, up to `settings.batchesInFlight` at once so that rendering the next
    /// overlaps the spool's fsync of the last. Each batch's ledger rows are written (pending) before it is
    /// rendered and spooled. Returns how many were sent, and whether the audience is exhausted (false: the
    /// campaign left `sending`).
    func sendBatches(
        _ campaign: Campaign, _ prepared: any PreparedCampaign, variant: String = "",
        including include: (Contact) -> Bool = { _ in true }
    ) async throws -> (Int, Bool) {
        let ledger = self.ledger
        let sink = self.sink
        return try await withThrowingTaskGroup(of: Int.self) { group in
            var after: Int64 = 0
            var sent = 0
            var inFlight = 0
            var finished = false
            while !stopping, try store.get(campaign.id).status == .sending {
                let batch = try audience.next(campaign: campaign, after: after, limit: settings.batchSize)
                guard let last = batch.last?.id else {
                    finished = true
                    break
                }
                after = last
                let contacts = batch.filter { include($0) && !settings.isSuppressed($0.email) }
                guard !contacts.isEmpty else { continue }
                let reservations = contacts.map { contact in
                    CampaignLedger.Reservation(
                        contactID: contact.id ?? 0, email: contact.email, queueID: sink.makeQueueID())
                }
                try ledger.reserve(campaignID: campaign.id, reservations, variant: variant)
                group.addTask {
                    let messages = try await Self.render(campaign, prepared, contacts, reservations)
                    try await sink.store(messages)
                    try ledger.markQueued(campaignID: campaign.id, contactIDs: reservations.map(\.contactID))
                    await sink.release(queueIDs: reservations.map(\.queueID))
                    return messages.count
                }
                inFlight += 1
                if inFlight >= settings.batchesInFlight, let done = try await group.next() {
                    sent += done
                    inFlight -= 1
                }
            }
            while let done = try await group.next() { sent += done }
            return (sent, finished)
        }
    }

    /// Renders a batch on all cores.
    private static func render(
        _ campaign: Campaign, _ prepared: any PreparedCampaign, _ contacts: [Contact],
        _ reservations: [CampaignLedger.Reservation]
    ) async throws -> [CampaignMessage] {
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, contacts.count / 64))
        let chunk = (contacts.count + parts - 1) / parts
        return try await withThrowingTaskGroup(of: (Int, [CampaignMessage]).self) { group in
            for part in 0..<parts {
                let range = (part * chunk)..<min(contacts.count, (part + 1) * chunk)
                group.addTask {
                    var messages: [CampaignMessage] = []
                    messages.reserveCapacity(range.count)
                    for index in range {
                        let queueID = reservations[index].queueID
                        messages.append(
                            CampaignMessage(
                                queueID: queueID, sender: campaign.fromAddress, recipient: contacts[index].email,
                                body: try prepared.message(for: contacts[index], queueID: queueID),
                                campaignID: campaign.id))
                    }
                    return (part, messages)
                }
            }
            var results: [[CampaignMessage]] = Array(repeating: [], count: parts)
            for try await (part, messages) in group { results[part] = messages }
            return results.flatMap { $0 }
        }
    }

    /// Pending rows left by a failure in a batch (after a crash, start-up has settled them already): a
    /// message the spool holds was stored (it is queued); one it does not hold never was, and its contact is
    /// sent to again.
    private func settle(_ campaignID: Int64) throws {
        let sink = self.sink
        let settled = try ledger.settle(campaignID: campaignID) { sink.isSpooled(queueID: $0) }
        guard settled.stored + settled.released > 0 else { return }
        logger.notice(
            "campaign ledger settled",
            metadata: ["campaign": "\(campaignID)", "stored": "\(settled.stored)", "resent": "\(settled.released)"])
    }
}
