/// Where bounce results go once parsed: the JSON writer and the summary of `petrel bounces import` today,
/// the suppression list later. The importer only talks to this protocol, so applying results to
/// suppression is one more conformance, not a change to the parser or the importer.
public protocol BounceResultSink {
    /// Called once per (message, recipient). `source` names the message (a path, or a mailbox member).
    mutating func receive(_ record: BounceRecord, source: String) throws
    /// Called once after the last message.
    mutating func finish() throws
}

/// Counts per reason and per hard/soft, for the import summary.
public struct BounceSummary: BounceResultSink, Sendable {
    public private(set) var messages = 0
    public private(set) var byReason: [BounceReason: Int] = [:]
    public private(set) var hard = 0
    public private(set) var soft = 0
    private var lastSource: String?

    public init() {}

    public mutating func receive(_ record: BounceRecord, source: String) {
        if source != lastSource {
            messages += 1
            lastSource = source
        }
        byReason[record.reason, default: 0] += 1
        if record.isHardBounce { hard += 1 } else { soft += 1 }
    }

    public mutating func finish() {}

    /// Human-readable lines: totals, then one line per reason, most frequent first.
    public var lines: [String] {
        var lines = ["bounce messages: \(messages), recipients: \(hard + soft) (hard: \(hard), soft: \(soft))"]
        let sorted = byReason.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }
        for (reason, count) in sorted {
            lines.append("  \(reason.rawValue.padding(to: 16))\(count)")
        }
        return lines
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
