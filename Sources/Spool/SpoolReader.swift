import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Read-only view for `petrel queue list/show` run in another process while the server writes.
///
/// Scans the segment files without taking the lock and never modifies anything: an incomplete tail
/// record (a write in progress, or torn by a crash) and damaged records are skipped. If garbage
/// collection deletes a segment during the scan, the scan starts again (up to three times).
public enum SpoolReader {
    public static func scan(directory: String) throws -> [SpooledMessage] {
        let index = try load(SpoolPaths(root: directory))
        return SpoolIndex.messages(index.entries.map { ($0.key, $0.value) })
    }

    /// The body of message `id`, or nil if the spool does not hold it.
    public static func readBody(directory: String, id: QueueID) throws -> ByteBuffer? {
        let paths = SpoolPaths(root: directory)
        for _ in 0..<3 {
            guard let entry = try load(paths).entries[id] else { return nil }
            do {
                return try entry.readBody(id: id, paths: paths)
            } catch SpoolError.io(_, _, let code) where code == ENOENT {
                continue
            }
        }
        return nil
    }

    static func load(_ paths: SpoolPaths) throws -> SpoolIndex {
        var outcome = try SpoolRecovery(paths: paths, repair: false, logger: nil).run()
        var attempts = 1
        while outcome.segmentVanished && attempts < 3 {
            outcome = try SpoolRecovery(paths: paths, repair: false, logger: nil).run()
            attempts += 1
        }
        return outcome.index
    }
}
