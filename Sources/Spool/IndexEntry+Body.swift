import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension IndexEntry {
    /// Reads the whole record back, checks both checksums and returns the body.
    /// Throws `SpoolError.io` with ENOENT if garbage collection deleted the segment meanwhile.
    func readBody(paths: SpoolPaths) throws -> ByteBuffer {
        let path = paths.segment(segment)
        let fd = try Posix.openFile(path, O_RDONLY)
        defer { Posix.closeFile(fd) }
        return try readBody(descriptor: fd, path: path)
    }

    /// The same, through a descriptor of the segment that is kept open.
    func readBody(files: SegmentFiles, paths: SpoolPaths) throws -> ByteBuffer {
        let file = try files.file(segment, paths: paths)
        return try readBody(descriptor: file.descriptor, path: file.path)
    }

    private func readBody(descriptor fd: Int32, path: String) throws -> ByteBuffer {
        var buffer = try Posix.readBuffer(fd, count: recordLength, at: Int(recordOffset), path: path)
        let offset = Int(recordOffset)
        let valid = buffer.withUnsafeReadableBytes { bytes -> String? in
            guard bytes.count == recordLength else { return "file ends inside the record" }
            guard let header = RecordHeader.parse(bytes, at: 0), header.payloadLength == Int(payloadLength) else {
                return "record header does not match the index"
            }
            let payload = UnsafeRawBufferPointer(rebasing: bytes[RecordHeader.size...])
            return CRC32C.checksum(payload) == header.payloadChecksum ? nil : "payload checksum mismatch"
        }
        if let reason = valid {
            throw SpoolError.corruptRecord(path: path, offset: offset, reason: reason)
        }
        buffer.moveReaderIndex(forwardBy: recordLength - Int(bodyLength))
        return buffer
    }
}
