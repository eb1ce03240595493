import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Read descriptors of the segments read most recently, shared by every reader of the spool, so that
/// a delivery does not open and close a segment file for each message.
///
/// A descriptor is closed when the last reader holding it lets go, so eviction never closes a
/// descriptor under a `pread` in progress. A deleted segment's descriptor still reads the bytes it
/// had; garbage collection drops it from the cache (`forget`) when it deletes the file.
final class SegmentFiles: Sendable {
    final class File: Sendable {
        let descriptor: Int32
        let path: String

        init(descriptor: Int32, path: String) {
            self.descriptor = descriptor
            self.path = path
        }

        deinit { Posix.closeFile(descriptor) }
    }

    /// Deliveries read from a handful of recent segments; older ones are read rarely.
    static let capacity = 8

    private let files = NIOLockedValueBox<[UInt32: File]>([:])

    func file(_ sequence: UInt32, paths: SpoolPaths) throws -> File {
        if let cached = files.withLockedValue({ $0[sequence] }) { return cached }
        let path = paths.segment(sequence)
        let opened = File(descriptor: try Posix.openFile(path, O_RDONLY), path: path)
        let (file, evicted) = files.withLockedValue { files -> (File, File?) in
            if let raced = files[sequence] { return (raced, nil) }
            var evicted: File?
            if files.count >= Self.capacity, let oldest = files.keys.min() {
                evicted = files.removeValue(forKey: oldest)
            }
            files[sequence] = opened
            return (opened, evicted)
        }
        _ = evicted  // released here, outside the lock; closed once no reader holds it
        return file
    }

    /// Drops a deleted segment's descriptor.
    func forget(_ sequence: UInt32) {
        _ = files.withLockedValue { $0.removeValue(forKey: sequence) }
    }
}
