import Foundation

/// A segment saved under a name (`SegmentStore`); `definition` is the JSON text of its `Segment`.
public struct SavedSegment: Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var definition: String
    public var created: Date
    public var updated: Date

    public init(id: Int64, name: String, definition: String, created: Date, updated: Date) {
        self.id = id
        self.name = name
        self.definition = definition
        self.created = created
        self.updated = updated
    }
}
