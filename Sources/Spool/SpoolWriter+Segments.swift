import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starting, sealing and reusing segment files.
///
/// A segment that garbage collection empties is not deleted but kept as a spare
/// (`segments/recycled-N.tmp`, which recovery ignores and `Spool.open` deletes), and the next segment
/// starts in it. Appends then write into space the file system has allocated and written before: each
/// group commit's `fdatasync` writes the data alone, with no block allocation and no inode update.
/// On this project's disk that halves the time and the system CPU of a 300 KB write and sync
/// (docs/BENCHMARKS.md). Unlike zeros written ahead, it costs no extra writes. What the file held before
/// stays past the new records; their headers are salted with the old segment's salt, so the scanner
/// reads them as unused space (`SegmentStart`, `SegmentScanner`).
extension SpoolWriter {
    /// Spare files kept at most. Segments empty one at a time in a steady flow; a larger backlog
    /// emptying at once is deleted beyond this.
    static let spareLimit = 1

    /// Makes room for a record of `length` bytes in the active segment, starting a new segment (after
    /// flushing what is batched for the old one) when it would grow past `segmentSize`.
    /// Returns the offset the record will have.
    func reserve(_ length: Int) throws -> Int {
        if let active {
            let used = active.size + batch.count
            if used <= SegmentStart.recordSize || used + length <= options.segmentSize {
                return used
            }
            flush(mustSync: true)
            seal()
        }
        try openSegment()
        return active!.size + batch.count
    }

    /// Starts the next segment: in a spare file if there is one, else in a file written full of zeros
    /// ahead if one is ready, else in a new empty file.
    private func openSegment() throws {
        while let spare = spares.popLast() {
            if try openRecycled(spare) { return }
        }
        let prepareNext = (lastFillRate ?? 0) < Self.preallocationRateLimit
        var prepared = preparer?.take(prepareNext: prepareNext)
        defer {
            // Not used (every link failed): nothing refers to it.
            if let prepared {
                Posix.closeFile(prepared.descriptor)
                _ = try? Posix.removeFile(prepared.path)
            }
        }
        while true {
            let sequence = nextSequence
            let path = paths.segment(sequence)
            nextSequence += 1
            let fd: Int32
            if let ready = prepared {
                // link(2) fails rather than replace a segment of that name; the directory sync below
                // makes the new name durable.
                if link(ready.path, path) == 0 {
                    _ = try? Posix.removeFile(ready.path)
                    fd = ready.descriptor
                    prepared = nil
                } else if errno == EEXIST {
                    continue
                } else {
                    logger.warning(
                        "spool: could not use the prepared segment",
                        metadata: ["error": "\(String(cString: strerror(errno)))"])
                    Posix.closeFile(ready.descriptor)
                    _ = try? Posix.removeFile(ready.path)
                    prepared = nil
                    nextSequence -= 1
                    continue
                }
            } else {
                do {
                    fd = try Posix.openFile(path, O_WRONLY | O_CREAT | O_EXCL)
                } catch SpoolError.io(_, _, let code) where code == EEXIST {
                    continue
                }
            }
            try activate(SegmentStart.random(sequence: sequence, recycled: false), fd: fd, path: path)
            return
        }
    }

    /// Starts the next segment in the spare file at `spare`: writes and syncs its start record, then
    /// gives it the segment's name. False (the spare deleted) if that fails before the name is given.
    private func openRecycled(_ spare: String) throws -> Bool {
        func giveUp(_ error: String, closing fd: Int32? = nil) -> Bool {
            logger.warning("spool: could not reuse an emptied segment", metadata: ["error": "\(error)"])
            if let fd { Posix.closeFile(fd) }
            _ = try? Posix.removeFile(spare)
            return false
        }
        let fd: Int32
        do {
            fd = try Posix.openFile(spare, O_WRONLY)
        } catch {
            return giveUp("\(error)")
        }
        while true {
            let sequence = nextSequence
            let path = paths.segment(sequence)
            nextSequence += 1
            let start = SegmentStart.random(sequence: sequence, recycled: true)
            do {
                // The start record is durable before the file has the name it binds to, so a crash never
                // leaves a segment of that name whose start record is still the old one.
                try start.record.withUnsafeBytes { try Posix.writeAll(fd, $0, at: 0, path: spare) }
                if options.fsync { try Posix.syncData(fd, path: spare) }
            } catch {
                nextSequence -= 1
                return giveUp("\(error)", closing: fd)
            }
            if link(spare, path) == 0 {
                _ = try? Posix.removeFile(spare)
                try activate(start, fd: fd, path: path)
                index.withLockedValue { $0.statistics.recycledSegments += 1 }
                return true
            }
            if errno == EEXIST { continue }
            nextSequence -= 1
            return giveUp(String(cString: strerror(errno)), closing: fd)
        }
    }

    /// Makes the new segment's name durable and makes it the active one. A recycled file's start record
    /// is already in it; a new file's goes first into the batch.
    private func activate(_ start: SegmentStart, fd: Int32, path: String) throws {
        if options.fsync {
            do {
                try Posix.syncDirectory(paths.segments)
            } catch {
                Posix.closeFile(fd)
                throw error
            }
        }
        active = ActiveSegment(
            sequence: start.sequence, fd: fd, path: path, size: start.recycled ? SegmentStart.recordSize : 0,
            salt: start.salt)
        if !start.recycled { batch.append(contentsOf: start.record) }
        index.withLockedValue { $0.segments[start.sequence] = SegmentUsage() }
        logger.debug("spool: new segment", metadata: ["file": "\(path)", "recycled": "\(start.recycled)"])
    }

    /// Stops appending to the active segment; the next record starts a new one.
    func seal() {
        if let active {
            Posix.closeFile(active.fd)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - active.opened) / 1e9
            if active.size >= options.segmentSize / 2 { lastFillRate = Double(active.size) / max(seconds, 1e-6) }
        }
        active = nil
    }

    /// Takes the emptied segment `sequence` out of the spool: keeps its file as a spare if there is room
    /// and it is of a useful size, else deletes it. Either way the segment's name is gone, durably,
    /// before anything is written into the file again.
    func retire(_ sequence: UInt32, fileSize: Int) throws {
        let path = paths.segment(sequence)
        if options.recycleSegments, spares.count < Self.spareLimit,
            fileSize >= options.segmentSize / 2, fileSize <= options.segmentSize
        {
            let spare = paths.segments + "/recycled-\(sequence).tmp"
            if rename(path, spare) == 0 {
                spares.append(spare)
            } else {
                throw SpoolError.io(operation: "rename", path: path, errno: errno)
            }
        } else {
            try Posix.removeFile(path)
        }
        files.forget(sequence)
        if options.fsync { try Posix.syncDirectory(paths.segments) }
    }
}
