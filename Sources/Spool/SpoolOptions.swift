/// Tuning of a `Spool`.
public struct SpoolOptions: Sendable {
    /// Call `fdatasync` before acknowledging. Only tests and benchmarks of the rest of the system turn it off.
    public var fsync: Bool
    /// A segment file is closed and a new one started once it would grow past this many bytes.
    /// A single record larger than this gets a segment of its own.
    public var segmentSize: Int
    /// Write the next segment full of zeros, and sync it, in the background before it is needed. Appends
    /// into written space then need no block allocation, and each group commit's `fdatasync` writes
    /// the data alone: on this project's disk about half the latency at the median and a third at p99
    /// (docs/BENCHMARKS.md). Costs one segment of disk ahead, and the zeros' writes.
    public var preallocate: Bool
    /// Keep an emptied segment's file and start the next segment in it (`SpoolWriter+Segments.swift`),
    /// rather than delete it and start in a new file.
    public var recycleSegments: Bool
    /// Bytes of the bodies stored last kept in memory, for deliveries that follow at once (`RecentBodies`).
    public var recentBodyBytes: Int
    /// How long a group of removals alone may wait, written, for the sync of the next records
    /// (`SpoolWriter.flush`); it is synced by itself after that.
    public var removalSyncDelay: Duration

    public init(
        fsync: Bool = true, segmentSize: Int = 64 << 20, preallocate: Bool = false, recycleSegments: Bool = true,
        recentBodyBytes: Int = 16 << 20, removalSyncDelay: Duration = .milliseconds(10)
    ) {
        self.fsync = fsync
        self.segmentSize = segmentSize
        self.preallocate = preallocate
        self.recycleSegments = recycleSegments
        self.recentBodyBytes = recentBodyBytes
        self.removalSyncDelay = removalSyncDelay
    }
}
