/// Tuning of a `Spool`.
public struct SpoolOptions: Sendable {
    /// Call `fdatasync` before acknowledging. Only tests and benchmarks of the rest of the system turn it off.
    public var fsync: Bool
    /// A segment file is closed and a new one started once it would grow past this many bytes.
    /// A single record larger than this gets a segment of its own.
    public var segmentSize: Int

    public init(fsync: Bool = true, segmentSize: Int = 64 << 20) {
        self.fsync = fsync
        self.segmentSize = segmentSize
    }
}
