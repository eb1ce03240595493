/// What `Spool.open` found on disk.
public struct RecoveryReport: Sendable {
    /// Messages in the index after recovery.
    public var messages: Int
    /// Records cut off by a crash (never acknowledged), discarded and logged.
    public var tornRecords: Int
    /// Damaged byte ranges copied to `quarantine/` and skipped.
    public var quarantined: Int
    /// Segment files scanned.
    public var segments: Int

    public init(messages: Int = 0, tornRecords: Int = 0, quarantined: Int = 0, segments: Int = 0) {
        self.messages = messages
        self.tornRecords = tornRecords
        self.quarantined = quarantined
        self.segments = segments
    }
}
