/// A TOML table: keys mapped to values, remembering the order in which the keys were written so that messages
/// about a document (for example "unknown key") can follow it.
///
/// Equality ignores the order: TOML tables are unordered.
public struct TOMLTable: Sendable, Equatable, Sequence {
    public typealias Element = (key: String, value: TOMLValue)

    /// The keys in the order they were first inserted.
    public private(set) var keys: [String] = []
    private var storage: [String: TOMLValue] = [:]

    public init() {}

    public init(_ entries: KeyValuePairs<String, TOMLValue>) {
        for (key, value) in entries {
            self[key] = value
        }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// Setting a new key appends it to `keys`; setting `nil` removes it.
    public subscript(key: String) -> TOMLValue? {
        get { storage[key] }
        set {
            switch (storage[key], newValue) {
            case (nil, .some): keys.append(key)
            case (.some, nil): keys.removeAll { $0 == key }
            default: break
            }
            storage[key] = newValue
        }
    }

    public func makeIterator() -> some IteratorProtocol<Element> {
        keys.lazy.map { (key: $0, value: storage[$0]!) }.makeIterator()
    }

    public static func == (lhs: TOMLTable, rhs: TOMLTable) -> Bool {
        lhs.storage == rhs.storage
    }
}
