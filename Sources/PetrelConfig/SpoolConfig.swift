/// `[spool]`
public struct SpoolConfig: Sendable, Equatable {
    /// Where accepted messages are kept; empty for `<data_directory>/spool` (see `resolvedDirectory`).
    public var directory: String
    /// fsync before a message is acknowledged with 250.
    public var fsync: Bool
    /// Bytes after which a spool segment file is closed and a new one started.
    public var segmentSize: Int

    public init(directory: String, fsync: Bool, segmentSize: Int) {
        self.directory = directory
        self.fsync = fsync
        self.segmentSize = segmentSize
    }

    public static let defaults = SpoolConfig(directory: "", fsync: true, segmentSize: 64 << 20)

    /// `directory`, or `<dataDirectory>/spool` when it is empty.
    public func resolvedDirectory(dataDirectory: String) -> String {
        guard directory.isEmpty else { return directory }
        return dataDirectory.hasSuffix("/") ? dataDirectory + "spool" : dataDirectory + "/spool"
    }

    init(reading reader: inout ConfigReader) throws(ConfigError) {
        let defaults = Self.defaults
        directory = try reader.string("directory", default: defaults.directory)
        fsync = try reader.bool("fsync", default: defaults.fsync)
        segmentSize = try reader.size("segment_size", default: defaults.segmentSize)
        try reader.finish()
    }
}
