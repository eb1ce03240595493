/// `[log]`
public struct LogConfig: Sendable, Equatable {
    public var level: LogLevel

    public init(level: LogLevel) {
        self.level = level
    }

    public static let defaults = LogConfig(level: .info)

    init(reading reader: inout ConfigReader) throws(ConfigError) {
        let defaults = Self.defaults
        level = try reader.choice("level", default: defaults.level)
        try reader.finish()
    }
}
