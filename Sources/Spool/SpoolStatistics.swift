/// Counters of the writer thread since `Spool.open`, for metrics and tests.
public struct SpoolStatistics: Sendable, Hashable {
    /// `fdatasync` calls on segment files.
    public var syncs: Int = 0
    /// Group commits: write + sync rounds that completed waiters.
    public var batches: Int = 0
    /// Records written (messages, state changes, removals, rewrites).
    public var records: Int = 0
    /// Messages rewritten from an old segment into the current one by garbage collection.
    public var rewrittenMessages: Int = 0
    /// Segments deleted by garbage collection (their files deleted or kept for reuse).
    public var deletedSegments: Int = 0
    /// Segments started in the file of a deleted one.
    public var recycledSegments: Int = 0

    public init() {}
}
