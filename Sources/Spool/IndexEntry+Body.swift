import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension IndexEntry {
    /// Reads the whole record of message `id` back, checks that it is that message's and that its payload
    /// matches its checksum, and returns the body. Throws `SpoolError.io` with ENOENT if garbage
    /// collection deleted the segment meanwhile, and `SpoolError.corruptRecord` if the bytes there are
    /// not the record, which they may no longer be once the segment is emptied and its file reused.
    func readBody(id: QueueID, paths: SpoolPaths) throws -> ByteBuffer {
        let path = paths.segment(segment)
        let fd = try Posix.openFile(path, O_RDONLY)
        defer { Posix.closeFile(fd) }
        return try readBody(id: id, descriptor: fd, path: path)
    }

    /// The same, through a descriptor of the segment that is kept open.
    func readBody(id: QueueID, files: SegmentFiles, paths: SpoolPaths) throws -> ByteBuffer {
        let file = try files.file(segment, paths: paths)
        return try readBody(id: id, descriptor: file.descriptor, path: file.path)
    }

    private func readBody(id: QueueID, descriptor fd: Int32, path: String) throws -> ByteBuffer {
        var buffer = try Posix.readBuffer(fd, count: recordLength, at: Int(recordOffset), path: path)
        let offset = Int(recordOffset)
        let valid = buffer.withUnsafeReadableBytes { bytes -> String? in
            guard bytes.count == recordLength else { return "file ends inside the record" }
            guard let header = RecordHeader.parse(bytes, at: 0, check: .payloadOnly),
                header.payloadLength == Int(payloadLength)
            else {
                return "record header does not match the index"
            }
            let payload = UnsafeRawBufferPointer(rebasing: bytes[RecordHeader.size...])
            guard CRC32C.checksum(payload) == header.payloadChecksum else { return "payload checksum mismatch" }
            var reader = BinaryReader(payload)
            return (try? reader.readQueueID()) == id ? nil : "the record is another message's"
        }
        if let reason = valid {
            throw SpoolError.corruptRecord(path: path, offset: offset, reason: reason)
        }
        buffer.moveReaderIndex(forwardBy: recordLength - Int(bodyLength))
        return buffer
    }
}
