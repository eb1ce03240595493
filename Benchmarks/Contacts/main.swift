// CSV contact import rate: generates a CSV of N contacts (email, names, tags, two custom fields; 1% bad rows),
// imports it into a fresh petrel.sqlite, then imports it again (every row an update).
//
//   swift run -c release contacts-bench [ROWS]        (default 1,000,000)
import Campaigns
import Foundation
import Storage

let rows =
    CommandLine.arguments.dropFirst().compactMap { Int($0.replacingOccurrences(of: "_", with: "")) }.first
    ?? 1_000_000
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("contacts-bench-\(getpid())")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
let csv = directory.appendingPathComponent("contacts.csv").path

_ = FileManager.default.createFile(atPath: csv, contents: nil)
let out = FileHandle(forWritingAtPath: csv)!
var text = "email,first_name,last_name,tags,city,plan\n"
for index in 0..<rows {
    if index % 100 == 99 {
        text += "broken-row-\(index),x,y,,,\n"
    } else {
        text +=
            "Subscriber.\(index)@Mail\(index % 5000).example.com,First\(index),\"Last, \(index)\",\"news,t\(index % 7)\",City\(index % 300),\(index % 3 == 0 ? "pro" : "free")\n"
    }
    if text.utf8.count > 1 << 20 {
        out.write(Data(text.utf8))
        text = ""
    }
}
out.write(Data(text.utf8))
try out.close()
let bytes = (try FileManager.default.attributesOfItem(atPath: csv)[.size] as? Int) ?? 0
print("CSV: \(rows) rows, \(bytes / 1_000_000) MB")

let database = try PetrelDatabase(path: directory.appendingPathComponent("petrel.sqlite").path)
/// CPU seconds (user + system) of this process: on a shared machine, rows per CPU second is the stable figure.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

for pass in ["first import (inserts)", "second import (updates)"] {
    let start = DispatchTime.now().uptimeNanoseconds
    let cpuStart = cpuSeconds()
    let summary = try ContactImporter.importFile(csv, database: database, list: "bench")
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let cpu = cpuSeconds() - cpuStart
    print(
        String(
            format: "%@: %d rows in %.2f s = %.0f rows/s wall, %.0f rows per CPU second (%d new, %d updated, %d bad)",
            pass, summary.rows, seconds, Double(summary.rows) / seconds, Double(summary.rows) / cpu, summary.inserted,
            summary.updated, summary.errors.count))
}

// Segment counts over everything just imported, evaluated in SQLite.
let store = ContactStore(database: database)
let segments = [
    ("status equals subscribed", #"{"field": "status", "op": "equals", "value": "subscribed"}"#),
    ("custom city in [3 values]", #"{"custom": "city", "op": "in", "value": ["City1", "City2", "City3"]}"#),
    ("tag t3 and plan pro", #"{"and": [{"tag": "t3"}, {"custom": "plan", "op": "equals", "value": "pro"}]}"#),
    ("email contains \"99\"", #"{"field": "email", "op": "contains", "value": "99"}"#),
]
for (name, json) in segments {
    let segment = try Segment(json: json)
    let start = DispatchTime.now().uptimeNanoseconds
    let count = try store.count(segment: segment)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    print(String(format: "segment %@: %d contacts counted in %.3f s", name, count, seconds))
}
