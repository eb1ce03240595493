/// A table under construction while a document is parsed. Tables are shared by reference so that a `[header]`
/// can reopen a table created earlier; `freeze()` turns the finished tree into values.
///
/// The origin decides what may still be done with a table (TOML v1.0.0, "Table" and "Inline Table"):
/// an implicit table may later be defined once by a header; tables defined by a header or by dotted keys
/// cannot be defined again; only dotted-key tables may be extended by more dotted keys.
final class TOMLTableBuilder {
    enum Origin {
        /// Created as the parent of a header such as `[a.b.c]`.
        case implicit
        /// Defined by `[header]` or as an element of `[[header]]`.
        case header
        /// Created by a dotted key such as `a.b = 1`.
        case dotted
        /// An inline table `{ … }` being parsed.
        case inline
    }

    enum Entry {
        /// A finished value: scalars, static arrays and inline tables.
        case value(TOMLValue)
        case table(TOMLTableBuilder)
        /// An array of tables built by `[[header]]`.
        case tableArray([TOMLTableBuilder])
    }

    var origin: Origin
    /// The full key of this table, for messages.
    let path: [String]
    private(set) var order: [String] = []
    private var entries: [String: Entry] = [:]

    init(origin: Origin, path: [String]) {
        self.origin = origin
        self.path = path
    }

    subscript(key: String) -> Entry? {
        get { entries[key] }
        set {
            if entries[key] == nil { order.append(key) }
            entries[key] = newValue
        }
    }

    func freeze() -> TOMLTable {
        var table = TOMLTable()
        for key in order {
            switch entries[key]! {
            case .value(let value): table[key] = value
            case .table(let builder): table[key] = .table(builder.freeze())
            case .tableArray(let builders): table[key] = .array(builders.map { .table($0.freeze()) })
            }
        }
        return table
    }
}
