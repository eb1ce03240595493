import Foundation
import Logging
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes the next segment file ahead of use, on a thread of its own: a file of `size` zeros, synced,
/// under a temporary name in the segments directory (`prepared-N.tmp`, which recovery ignores and
/// `Spool.open` deletes). The writer takes it when it starts a segment and links it under the
/// segment's name; then the next one is prepared.
final class SegmentPreparer: Sendable {
    struct Prepared {
        let descriptor: Int32
        let path: String
    }

    private enum State {
        /// Nothing to prepare until asked.
        case idle
        case wanted
        case preparing
        case ready(Prepared)
        case failed
        case stopped
    }

    private let directory: String
    private let size: Int
    private let logger: Logger
    private let state: NIOLockedValueBox<(state: State, counter: Int)>
    private let wake = ConditionLock<Bool>(value: true)

    init(directory: String, size: Int, logger: Logger) {
        self.directory = directory
        self.size = size
        self.logger = logger
        state = NIOLockedValueBox((.wanted, 0))
    }

    /// Deletes what an earlier process left prepared, and the emptied segments it kept for reuse.
    static func removeLeftovers(in directory: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where (name.hasPrefix("prepared-") || name.hasPrefix("recycled-")) && name.hasSuffix(".tmp") {
            _ = try? Posix.removeFile(directory + "/" + name)
        }
    }

    func start() {
        let thread = Thread { [self] in self.run() }
        thread.name = "petrel-spool-prepare"
        thread.start()
    }

    /// The prepared file if it is ready, else nil: the writer then creates an empty segment as it would
    /// without preparation, and never waits. With `prepareNext` the next file is prepared.
    func take(prepareNext: Bool) -> Prepared? {
        let (taken, wanted) = state.withLockedValue { current -> (Prepared?, Bool) in
            switch current.state {
            case .ready(let prepared):
                current.state = prepareNext ? .wanted : .idle
                return (prepared, prepareNext)
            case .failed, .idle:
                current.state = prepareNext ? .wanted : .idle
                return (nil, prepareNext)
            case .wanted, .preparing, .stopped:
                return (nil, false)
            }
        }
        if wanted { signal() }
        return taken
    }

    /// Stops the thread; a file prepared and not taken is deleted.
    func stop() {
        let left = state.withLockedValue { current -> Prepared? in
            defer { current.state = .stopped }
            if case .ready(let prepared) = current.state { return prepared }
            return nil
        }
        if let left {
            Posix.closeFile(left.descriptor)
            _ = try? Posix.removeFile(left.path)
        }
        signal()
    }

    private func signal() {
        wake.lock()
        wake.unlock(withValue: true)
    }

    private func run() {
        while true {
            wake.lock(whenValue: true)
            wake.unlock(withValue: false)
            let job = state.withLockedValue { current -> (proceed: Bool, stop: Bool, number: Int) in
                switch current.state {
                case .stopped: return (false, true, 0)
                case .wanted:
                    current.state = .preparing
                    current.counter += 1
                    return (true, false, current.counter)
                case .idle, .preparing, .ready, .failed: return (false, false, 0)
                }
            }
            if job.stop { return }
            guard job.proceed else { continue }
            let path = directory + "/prepared-\(job.number).tmp"
            let outcome: State
            do {
                outcome = .ready(Prepared(descriptor: try writeZeros(path), path: path))
            } catch {
                logger.warning(
                    "spool: could not prepare the next segment; appending to a new file instead",
                    metadata: ["file": "\(path)", "error": "\(error)"])
                _ = try? Posix.removeFile(path)
                outcome = .failed
            }
            let discard = state.withLockedValue { current -> Prepared? in
                if case .stopped = current.state {
                    if case .ready(let prepared) = outcome { return prepared }
                    return nil
                }
                current.state = outcome
                return nil
            }
            if let discard {
                Posix.closeFile(discard.descriptor)
                _ = try? Posix.removeFile(discard.path)
            }
        }
    }

    private func writeZeros(_ path: String) throws -> Int32 {
        let fd = try Posix.openFile(path, O_WRONLY | O_CREAT | O_TRUNC)
        do {
            let chunk = [UInt8](repeating: 0, count: min(size, 1 << 20))
            var written = 0
            while written < size {
                let count = min(chunk.count, size - written)
                try chunk.withUnsafeBytes { zeros in
                    try Posix.writeAll(fd, UnsafeRawBufferPointer(rebasing: zeros[..<count]), at: written, path: path)
                }
                written += count
            }
            try Posix.syncData(fd, path: path)
            return fd
        } catch {
            Posix.closeFile(fd)
            throw error
        }
    }
}
