import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Thin wrappers over the POSIX calls the spool needs, throwing `SpoolError.io` with the path.
enum Posix {
    static func openFile(_ path: String, _ flags: Int32, mode: mode_t = 0o600) throws -> Int32 {
        while true {
            let fd = path.withCString { open($0, flags | O_CLOEXEC, mode) }
            if fd >= 0 { return fd }
            if errno != EINTR { throw SpoolError.io(operation: "open", path: path, errno: errno) }
        }
    }

    static func closeFile(_ fd: Int32) {
        _ = close(fd)
    }

    /// Writes all of `bytes` at `offset`, retrying short writes.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int, path: String) throws {
        var done = 0
        while done < bytes.count {
            let result = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if result < 0 {
                if errno == EINTR { continue }
                throw SpoolError.io(operation: "write", path: path, errno: errno)
            }
            done += result
        }
    }

    /// Reads `count` bytes at `offset` into a new buffer; fewer only at the end of the file.
    static func readBuffer(_ fd: Int32, count: Int, at offset: Int, path: String) throws -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { target in
            var done = 0
            while done < count {
                let result = pread(fd, target.baseAddress! + done, count - done, off_t(offset + done))
                if result < 0 {
                    if errno == EINTR { continue }
                    throw SpoolError.io(operation: "read", path: path, errno: errno)
                }
                if result == 0 { break }
                done += result
            }
            return done
        }
        return buffer
    }

    /// The whole file; nil if it does not exist.
    static func readFile(_ path: String) throws -> [UInt8]? {
        let fd: Int32
        do {
            fd = try openFile(path, O_RDONLY)
        } catch SpoolError.io(_, _, let code) where code == ENOENT {
            return nil
        }
        defer { closeFile(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw SpoolError.io(operation: "stat", path: path, errno: errno) }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var done = 0
        try bytes.withUnsafeMutableBytes { target in
            while done < target.count {
                let result = pread(fd, target.baseAddress! + done, target.count - done, off_t(done))
                if result < 0 {
                    if errno == EINTR { continue }
                    throw SpoolError.io(operation: "read", path: path, errno: errno)
                }
                if result == 0 { break }
                done += result
            }
        }
        // A file still being appended to by another process may have grown or been cut meanwhile.
        if done < bytes.count { bytes.removeSubrange(done...) }
        return bytes
    }

    static func syncData(_ fd: Int32, path: String) throws {
        while fdatasync(fd) != 0 {
            if errno != EINTR { throw SpoolError.io(operation: "fdatasync", path: path, errno: errno) }
        }
    }

    static func sync(_ fd: Int32, path: String) throws {
        while fsync(fd) != 0 {
            if errno != EINTR { throw SpoolError.io(operation: "fsync", path: path, errno: errno) }
        }
    }

    /// fsync of a directory, making creations, renames and unlinks in it durable.
    static func syncDirectory(_ path: String) throws {
        let fd = try openFile(path, O_RDONLY | O_DIRECTORY)
        defer { closeFile(fd) }
        try sync(fd, path: path)
    }

    /// Creates `path` unless it exists; true if it was created.
    @discardableResult
    static func makeDirectory(_ path: String) throws -> Bool {
        if mkdir(path, 0o700) == 0 { return true }
        if errno == EEXIST { return false }
        throw SpoolError.io(operation: "mkdir", path: path, errno: errno)
    }

    static func truncateFile(_ path: String, to length: Int) throws {
        let fd = try openFile(path, O_WRONLY)
        defer { closeFile(fd) }
        guard ftruncate(fd, off_t(length)) == 0 else {
            throw SpoolError.io(operation: "truncate", path: path, errno: errno)
        }
        try sync(fd, path: path)
    }

    static func removeFile(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw SpoolError.io(operation: "unlink", path: path, errno: errno)
        }
    }

    /// Writes a new file durably: create, write, fsync, fsync of its directory.
    static func writeFile(_ path: String, _ bytes: UnsafeRawBufferPointer, directory: String) throws {
        let fd = try openFile(path, O_WRONLY | O_CREAT | O_TRUNC)
        defer { closeFile(fd) }
        try writeAll(fd, bytes, at: 0, path: path)
        try sync(fd, path: path)
        try syncDirectory(directory)
    }
}
