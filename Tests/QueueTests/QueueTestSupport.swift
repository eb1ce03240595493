import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PetrelConfig
import Spool

@testable import Queue

/// A connection runner whose receiving side is a table: domain → outcome kind per attempt.
final class ScriptedRunner: ConnectionRunner {
    let script: @Sendable (_ domain: String, _ attempt: Int) -> RecipientOutcome
    let concurrent = NIOLockedValueBox((now: 0, peak: 0, connections: 0))
    let hold: Duration

    init(hold: Duration = .zero, script: @escaping @Sendable (String, Int) -> RecipientOutcome) {
        self.script = script
        self.hold = hold
    }

    func run(_ lease: SiteLease) async {
        concurrent.withLockedValue {
            $0.now += 1
            $0.connections += 1
            $0.peak = max($0.peak, $0.now)
        }
        var sent = 0
        loop: while true {
            switch await lease.next(sentOnConnection: sent) {
            case .done, .idle: break loop
            case .wait: try? await Task.sleep(for: .milliseconds(1))
            case .send(let work):
                if hold > .zero { try? await Task.sleep(for: hold) }
                let outcome = script(work.item.domain, Int(work.item.attempts) + 1)
                await lease.report(work, outcomes: Array(repeating: outcome, count: work.item.recipients.count))
                sent += 1
            }
        }
        concurrent.withLockedValue { $0.now -= 1 }
        await lease.finished()
    }
}

final class RecordingEvents: DeliveryEvents {
    let log = NIOLockedValueBox<[String]>([])

    func delivered(_ message: SpooledMessage, recipients: [(index: Int, outcome: RecipientOutcome)]) async {
        log.withLockedValue { $0 += recipients.map { "delivered \(message.envelope.recipients[$0.index].address)" } }
    }

    func failed(_ message: SpooledMessage, recipients: [(index: Int, outcome: RecipientOutcome)], expired: Bool) async {
        log.withLockedValue {
            $0 += recipients.map {
                "\(expired ? "expired" : "failed") \(message.envelope.recipients[$0.index].address) \($0.outcome.status)"
            }
        }
    }

    func deferred(
        _ message: SpooledMessage, recipients: [(index: Int, outcome: RecipientOutcome)], nextAttempt: Double,
        delayNotice: Bool
    ) async {
        log.withLockedValue { $0 += recipients.map { "deferred \(message.envelope.recipients[$0.index].address)" } }
    }
}

struct QueueHarness {
    let spool: Spool
    let clock: ManualQueueClock
    let events = RecordingEvents()
    let manager: QueueManager
    let directory: String

    init(
        runner: ScriptedRunner, shaping: ShapingConfig = .builtIn, retry: RetrySchedule = RetrySchedule(),
        plans: [String: Result<DeliveryPlan, PlanFailure>] = [:]
    ) throws {
        directory = NSTemporaryDirectory() + "queue-test-\(UUID().uuidString)"
        spool = try Spool.open(directory: directory, options: SpoolOptions(fsync: false), logger: Logger(label: "t")).0
        clock = ManualQueueClock(start: Date())
        let fallback = DeliveryPlan(hosts: [.init(name: "mx.default.test", addresses: ["127.0.0.1"], port: 25)])
        manager = QueueManager(
            spool: spool, planner: TablePlanner(plans: plans, fallback: .success(fallback)), runner: runner,
            shaping: shaping, retry: retry, clock: clock, events: events, logger: Logger(label: "t"))
    }

    /// Stores a message and hands it to the queue.
    func submit(_ recipients: [String], sender: String = "s@origin.test") async throws -> QueueID {
        var envelope = SpoolEnvelope(
            sender: sender, recipients: recipients.map { SpoolRecipient(address: $0) }, arrival: clock.now())
        envelope.messageID = "<\(UUID())@t>"
        let id = try await spool.append(envelope: envelope, body: ByteBuffer(string: "Subject: x\r\n\r\nbody\r\n"))
        await manager.enqueue(spool.message(id)!)
        return id
    }

    /// Runs everything due now to completion.
    func runDue() async {
        await manager.processDue()
        await manager.waitUntilIdle()
    }

    func states(_ id: QueueID) -> [RecipientState]? {
        spool.message(id)?.envelope.recipients.map(\.state)
    }
}

struct TablePlanner: RoutePlanner {
    let plans: [String: Result<DeliveryPlan, PlanFailure>]
    let fallback: Result<DeliveryPlan, PlanFailure>

    func plan(domain: String) async -> Result<DeliveryPlan, PlanFailure> { plans[domain] ?? fallback }
}

extension RecipientOutcome {
    static let ok = RecipientOutcome(kind: .delivered, code: 250, status: "2.0.0", text: "Ok")
    static let tempFail = RecipientOutcome(kind: .temporary, code: 451, status: "4.3.0", text: "try later")
    static let userUnknown = RecipientOutcome(kind: .permanent, code: 550, status: "5.1.1", text: "user unknown")
}
