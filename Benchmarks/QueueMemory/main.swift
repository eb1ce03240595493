// Memory per queued message: fills a spool with N messages (default 1M,
// ~1 KB each, 20 destination domains), reopens it as `petrel serve` does
// after a restart, schedules everything in a QueueManager (delivery held:
// the domains are suspended), and prints resident memory per message.
//
//   swift run -c release queue-memory-bench [N] [DIR]
import Foundation
import Logging
import NIOCore
import PetrelConfig
import Queue
import Spool

func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    return (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
}

struct NoRoute: RoutePlanner {
    func plan(domain: String) async -> Result<DeliveryPlan, PlanFailure> {
        .failure(.temporary(status: "4.4.3", text: "held"))
    }
}

struct NoRunner: ConnectionRunner {
    func run(_ lease: SiteLease) async { await lease.finished() }
}

struct NoEvents: DeliveryEvents {
    func delivered(_ message: SpooledMessage, recipients: [(index: Int, outcome: RecipientOutcome)]) async {}
    func failed(_ message: SpooledMessage, recipients: [(index: Int, outcome: RecipientOutcome)], expired: Bool) async {
    }
    func deferred(
        _ message: SpooledMessage, recipients: [(index: Int, outcome: RecipientOutcome)], nextAttempt: Double,
        delayNotice: Bool
    ) async {}
}

let arguments = CommandLine.arguments
let count = arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000
let directory = arguments.count > 2 ? arguments[2] : NSTemporaryDirectory() + "petrel-queue-memory"
let logger = Logger(label: "bench")
try? FileManager.default.removeItem(atPath: directory)

let body = ByteBuffer(
    string: "From: a@bench.test\r\nTo: b@x.test\r\nSubject: memory\r\nMessage-ID: <x@bench.test>\r\n\r\n"
        + String(repeating: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\r\n", count: 14))
do {
    let (spool, _) = try Spool.open(directory: directory, options: SpoolOptions(fsync: false), logger: logger)
    let started = Date()
    try await withThrowingTaskGroup(of: Void.self) { group in
        let perTask = count / 8
        for task in 0..<8 {
            group.addTask {
                for index in 0..<perTask {
                    let number = task * perTask + index
                    var envelope = SpoolEnvelope(
                        sender: "loadgen@bench.test",
                        recipients: [
                            SpoolRecipient(address: "user\(number)@\(Character(UnicodeScalar(97 + number % 20)!)).test")
                        ],
                        arrival: Date())
                    envelope.messageID = "<\(number)@bench.test>"
                    _ = try await spool.append(envelope: envelope, body: body)
                }
            }
        }
        try await group.waitForAll()
    }
    await spool.close()
    print("filled \(count) messages in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
}

let baseline = residentBytes()
let (spool, report) = try Spool.open(directory: directory, options: SpoolOptions(fsync: false), logger: logger)
let afterSpool = residentBytes()
let domains = Set((0..<20).map { "\(Character(UnicodeScalar(97 + $0)!)).test" })
let manager = QueueManager(
    spool: spool, planner: NoRoute(), runner: NoRunner(), shaping: .builtIn, retry: RetrySchedule(),
    clock: SystemQueueClock(), events: NoEvents(), suspendedDomains: domains, logger: logger)
await manager.recover()
let afterQueue = residentBytes()
let counts = await manager.counts
let messages = report.messages
print("recovered \(messages) messages; scheduled items: \(counts.scheduled)")
print(String(format: "spool index: %.0f bytes/message", Double(afterSpool - baseline) / Double(messages)))
print(String(format: "queue items: %.0f bytes/message", Double(afterQueue - afterSpool) / Double(messages)))
print(
    String(
        format: "total:       %.0f bytes/message (RSS %.0f MiB)", Double(afterQueue - baseline) / Double(messages),
        Double(afterQueue) / 1_048_576))
await spool.close()
try? FileManager.default.removeItem(atPath: directory)
