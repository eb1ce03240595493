// Suppression list benchmark: memory per entry and lookups per second, for the in-memory index alone and for
// the whole store (SQLite file + index, hits confirmed in SQLite).
//
//   swift run -c release suppression-bench [ENTRIES] [--store]
//
// ENTRIES defaults to 10,000,000. With --store, the entries are also written to a fresh petrel.sqlite in a
// temporary directory, loaded back as at server start, and looked up through SuppressionStore.
import Foundation
import Storage
import Suppression

func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    return (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func address(_ index: Int) -> String { "Subscriber.\(index)+list@Mail\(index % 5000).example.com" }

let arguments = CommandLine.arguments.dropFirst()
let entries = arguments.compactMap { Int($0.replacingOccurrences(of: "_", with: "")) }.first ?? 10_000_000
let useStore = arguments.contains("--store")
let normalization = AddressNormalization()
let lookups = 2_000_000

print("entries: \(entries)")
let before = residentBytes()
var index = FingerprintSet()
let build = seconds {
    for item in 0..<entries { index.insert(FingerprintSet.fingerprint(normalization.normalize(address(item)))) }
}
let after = residentBytes()
print(
    String(
        format: "index: built in %.2f s (%.0f entries/s); table %.1f bytes/entry; process RSS +%.1f bytes/entry",
        build, Double(entries) / build, Double(index.memoryBytes) / Double(entries),
        Double(after - before) / Double(entries)))

// The addresses to look up are made before the clock starts: formatting them is not part of a lookup.
let absent = (0..<lookups).map { address(entries + $0) }
let present = (0..<lookups).map { address($0 * 7 % entries) }
var found = 0
let missTime = seconds {
    for text in absent where index.contains(normalization.fingerprint(text)) { found += 1 }
}
let hitTime = seconds {
    for text in present where index.contains(normalization.fingerprint(text)) { found += 1 }
}
print(
    String(
        format: "index lookups (normalise + hash + probe, one core): %.2f M/s not listed, %.2f M/s listed (%d found)",
        Double(lookups) / missTime / 1e6, Double(lookups) / hitTime / 1e6, found))

if useStore {
    index = FingerprintSet()
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("suppression-bench-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("petrel.sqlite").path
    let writer = try SuppressionStore(database: PetrelDatabase(path: path))
    let now = Date()
    let insert = try seconds {
        var start = 0
        while start < entries {
            let end = min(start + 100_000, entries)
            try writer.addAll(
                (start..<end).lazy.map {
                    SuppressionEntry(
                        address: address($0), kind: .hardBounce, reason: "userunknown", source: "bench", time: now,
                        detail: "5.1.1")
                })
            start = end
        }
    }
    print(String(format: "store: %d rows written in %.1f s (%.0f rows/s)", entries, insert, Double(entries) / insert))
    let fileBytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    let beforeLoad = residentBytes()
    var store: SuppressionStore!
    let load = try seconds { store = try SuppressionStore(database: PetrelDatabase(path: path)) }
    print(
        String(
            format:
                "store: loaded %d addresses in %.1f s (server start); index RSS +%.1f bytes/entry; SQLite file %.0f bytes/entry",
            store.count, load, Double(residentBytes() - beforeLoad) / Double(entries),
            Double(fileBytes) / Double(entries)))
    var suppressed = 0
    let storeMiss = try seconds {
        for text in absent where try store.lookup(text) != nil { suppressed += 1 }
    }
    let hitLookups = 200_000
    let storeHit = try seconds {
        for text in present.prefix(hitLookups) where try store.lookup(text) != nil { suppressed += 1 }
    }
    print(
        String(
            format:
                "store lookups (one core): %.2f M/s not listed (index only), %.0f /s listed (index + SQLite row), %d suppressed",
            Double(lookups) / storeMiss / 1e6, Double(hitLookups) / storeHit, suppressed))
}
