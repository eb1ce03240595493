// spool-bench: appends N messages of S bytes from C concurrent producers with fsync on and prints
// messages/s, fsyncs, mean batch size and append latency; then times recovery of what it wrote.
//
//     spool-bench [--messages N] [--size S] [--concurrency C] [--dir PATH] [--no-fsync] [--preallocate] [--keep]
//
// --preallocate: segments written full of zeros ahead of use, as `petrel serve` runs with fsync on.

import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Spool

struct BenchOptions {
    var messages = 20_000
    var size = 4096
    var concurrency = 10
    var directory = NSTemporaryDirectory() + "spool-bench-\(getpid())"
    var fsync = true
    var preallocate = false
    var keep = false

    init(_ arguments: [String]) {
        var rest = arguments.dropFirst()[...]
        while let flag = rest.popFirst() {
            switch flag {
            case "--messages": messages = Int(rest.popFirst() ?? "") ?? messages
            case "--size": size = Int(rest.popFirst() ?? "") ?? size
            case "--concurrency": concurrency = Int(rest.popFirst() ?? "") ?? concurrency
            case "--dir": directory = rest.popFirst() ?? directory
            case "--no-fsync": fsync = false
            case "--preallocate": preallocate = true
            case "--keep": keep = true
            default:
                print(
                    "usage: spool-bench [--messages N] [--size S] [--concurrency C] [--dir PATH] [--no-fsync]"
                        + " [--preallocate] [--keep]")
                exit(2)
            }
        }
    }
}

/// Appends one message; returns (time spent in the non-blocking call, time until acknowledged).
func timedAppend(_ spool: Spool, _ envelope: SpoolEnvelope, _ body: ByteBuffer) async throws -> (Duration, Duration) {
    let clock = ContinuousClock()
    let start = clock.now
    let call = NIOLockedValueBox<Duration>(.zero)
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
        spool.append(envelope: envelope, body: body) { result in
            continuation.resume(with: result.map { _ in () })
        }
        call.withLockedValue { $0 = clock.now - start }
    }
    return (call.withLockedValue { $0 }, clock.now - start)
}

func percentile(_ sorted: [Duration], _ fraction: Double) -> String {
    guard !sorted.isEmpty else { return "-" }
    let value = sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    let micros = Double(value.components.seconds) * 1e6 + Double(value.components.attoseconds) / 1e12
    return micros >= 1000 ? String(format: "%.2f ms", micros / 1000) : String(format: "%.1f µs", micros)
}

func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
}

let options = BenchOptions(CommandLine.arguments)
var logger = Logger(label: "spool-bench")
logger.logLevel = .warning
let spoolOptions = SpoolOptions(fsync: options.fsync, preallocate: options.preallocate)
let (spool, _) = try Spool.open(directory: options.directory, options: spoolOptions, logger: logger)
let body = ByteBuffer(bytes: (0..<options.size).map { UInt8(65 + $0 % 26) })
let perProducer = options.messages / options.concurrency
let clock = ContinuousClock()
let start = clock.now
let timings = try await withThrowingTaskGroup(of: [(Duration, Duration)].self) { group in
    for producer in 0..<options.concurrency {
        group.addTask {
            var timings: [(Duration, Duration)] = []
            timings.reserveCapacity(perProducer)
            for number in 0..<perProducer {
                let envelope = SpoolEnvelope(
                    sender: "bounces+\(producer)-\(number)@sender.example.com",
                    recipients: [SpoolRecipient(address: "user\(number)@example.org", notify: 6)],
                    arrival: Date(),
                    bodyType: "8BITMIME",
                    messageID: "<\(producer).\(number)@sender.example.com>",
                    clientAddress: "192.0.2.10",
                    heloName: "app.example.com",
                    listener: "submission",
                    attributes: ["tenant": "acme"]
                )
                timings.append(try await timedAppend(spool, envelope, body))
            }
            return timings
        }
    }
    var all: [(Duration, Duration)] = []
    for try await timings in group {
        all += timings
    }
    return all
}
let elapsed = clock.now - start
let statistics = spool.statistics
await spool.close()

let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let latencies = timings.map(\.1).sorted()
let calls = timings.map(\.0).sorted()
let mib = Double(timings.count * options.size) / seconds / 1_048_576
print(
    "C=\(options.concurrency) S=\(options.size) N=\(timings.count) fsync=\(options.fsync): "
        + String(format: "%.0f msg/s (%.1f MiB/s)", Double(timings.count) / seconds, mib)
        + ", \(statistics.syncs) fsyncs, "
        + String(format: "mean batch %.1f", Double(statistics.records) / Double(max(statistics.batches, 1)))
        + ", latency p50 \(percentile(latencies, 0.5)) p99 \(percentile(latencies, 0.99))"
        + ", append call p50 \(percentile(calls, 0.5)) p99 \(percentile(calls, 0.99))"
)

let before = residentBytes()
let recoveryStart = clock.now
let (reopened, report) = try Spool.open(directory: options.directory, options: spoolOptions, logger: logger)
let recovery = clock.now - recoveryStart
let indexBytes = residentBytes() - before
print(
    "  recovery: \(report.messages) messages from \(report.segments) segments in \(recovery)"
        + ", index ≈ \(report.messages > 0 ? indexBytes / report.messages : 0) bytes/message (RSS growth)"
)
await reopened.close()
if !options.keep {
    try? FileManager.default.removeItem(atPath: options.directory)
}
