import Foundation

/// A named list of contacts, with how many it has.
public struct ContactList: Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var created: Date
    public var members: Int

    public init(id: Int64, name: String, created: Date, members: Int) {
        self.id = id
        self.name = name
        self.created = created
        self.members = members
    }
}
