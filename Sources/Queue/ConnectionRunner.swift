import Foundation
import PetrelConfig
import Spool

/// One message for a connection worker to send.
public struct WorkItem: Sendable {
    public var item: DeliveryItem
    public var message: SpooledMessage
}

/// What a connection worker does next.
public enum NextWork: Sendable {
    case send(WorkItem)
    /// The message rate allows the next one at this time.
    case wait(until: Date)
    /// Nothing waiting now; the connection may stay open for more
    /// (`SiteLease.waitForWork`) before it says QUIT.
    case idle
    /// Nothing more for this connection: QUIT.
    case done
}

/// A connection's right to deliver to one site, and its line back to the
/// queue. Connection workers (the Delivery module) hold one per connection.
public struct SiteLease: Sendable {
    public let site: String
    public let plan: DeliveryPlan
    public let shaping: ResolvedShaping
    /// The egress source to send from.
    public let source: EgressSource
    public let connectionNumber: Int
    let manager: QueueManager

    /// The next message for this connection.
    public func next(sentOnConnection: Int) async -> NextWork {
        await manager.nextWork(site: site, sentOnConnection: sentOnConnection)
    }

    /// Waits up to the idle time for more mail to this site; false when none
    /// came (then QUIT). Keeps a warm connection instead of opening a new
    /// one per message (Postfix caches connections for 2 s).
    public func waitForWork() async -> Bool {
        await manager.waitForWork(site: site)
    }

    /// Outcomes of one item, one per recipient of `work.item.recipients`, in order.
    public func report(_ work: WorkItem, outcomes: [RecipientOutcome]) async {
        await manager.report(work, outcomes: outcomes, site: site)
    }

    /// `report`, then `next(sentOnConnection:)`, in one call.
    public func report(_ work: WorkItem, outcomes: [RecipientOutcome], thenNext sentOnConnection: Int) async
        -> NextWork
    {
        await manager.report(work, outcomes: outcomes, site: site, nextAfter: sentOnConnection)
    }

    /// No MX host of the site could be reached (`outcome` says why); the
    /// items waiting for the site are deferred.
    public func unreachable(_ outcome: RecipientOutcome) async {
        await manager.siteUnreachable(site: site, outcome: outcome)
    }

    /// The connection is closed.
    public func finished() async {
        await manager.connectionFinished(site: site)
    }
}

/// Runs one outbound connection for a lease: connect, then send what
/// `lease.next` gives until `.done`, report each outcome, call `finished`.
public protocol ConnectionRunner: Sendable {
    func run(_ lease: SiteLease) async
}
