/// A message in the spool as the in-memory index knows it; the body stays on disk.
public struct SpooledMessage: Sendable {
    public var id: QueueID
    public var envelope: SpoolEnvelope
    /// Body octets.
    public var size: Int

    public init(id: QueueID, envelope: SpoolEnvelope, size: Int) {
        self.id = id
        self.envelope = envelope
        self.size = size
    }
}
