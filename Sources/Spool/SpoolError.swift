#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Errors of the spool; each names the file involved where there is one.
public enum SpoolError: Error, CustomStringConvertible, Sendable {
    /// A system call failed on `path`.
    case io(operation: String, path: String, errno: Int32)
    /// The spool was closed; nothing more is accepted.
    case closed
    /// Another process holds the spool's lock file.
    case locked(path: String)
    case unknownMessage(QueueID)
    case recipientOutOfRange(QueueID, index: Int, count: Int)
    /// A record read back from `path` failed its checksum or could not be decoded.
    case corruptRecord(path: String, offset: Int, reason: String)
    /// The record would exceed the format's 1 GiB payload limit.
    case messageTooLarge(size: Int)

    public var description: String {
        switch self {
        case .io(let operation, let path, let code):
            return "spool: \(operation) \(path): \(String(cString: strerror(code))) (errno \(code))"
        case .closed:
            return "spool: closed"
        case .locked(let path):
            return "spool: \(path) is locked by another process"
        case .unknownMessage(let id):
            return "spool: no message \(id)"
        case .recipientOutOfRange(let id, let index, let count):
            return "spool: message \(id) has \(count) recipients, no index \(index)"
        case .corruptRecord(let path, let offset, let reason):
            return "spool: corrupt record in \(path) at offset \(offset): \(reason)"
        case .messageTooLarge(let size):
            return "spool: message of \(size) octets exceeds the spool's record limit"
        }
    }
}
