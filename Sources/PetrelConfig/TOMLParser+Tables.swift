extension TOMLParser {
    // MARK: - Keys

    static func isBareKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "-", "_": true
        default: false
        }
    }

    /// A dotted key as written in messages: `a.b`, `site."google.com"`.
    static func render(_ parts: some Sequence<String>) -> String {
        parts.map { part in
            if !part.isEmpty && part.unicodeScalars.allSatisfy(isBareKeyScalar) { return part }
            var quoted = "\""
            for scalar in part.unicodeScalars {
                switch scalar {
                case "\"": quoted += "\\\""
                case "\\": quoted += "\\\\"
                case _ where isControl(scalar): quoted += "\\u" + hex(scalar.value)
                default: quoted.unicodeScalars.append(scalar)
                }
            }
            return quoted + "\""
        }.joined(separator: ".")
    }

    /// key = simple-key / dotted-key
    /// dotted-key = simple-key 1*( ws "." ws simple-key )
    /// simple-key = quoted-key / unquoted-key
    mutating func parseKey() throws(TOMLError) -> [KeyPart] {
        var parts: [KeyPart] = []
        while true {
            skipWhitespace()
            let start = position
            let name: String
            switch peek {
            case "\"":
                if consume("\"\"\"") { throw error("a multi-line string cannot be a key", at: start) }
                name = try parseBasicString()
            case "'":
                if consume("'''") { throw error("a multi-line string cannot be a key", at: start) }
                name = try parseLiteralString()
            case let scalar? where Self.isBareKeyScalar(scalar):
                var bare = String.UnicodeScalarView()
                while let scalar = peek, Self.isBareKeyScalar(scalar) { bare.append(advance()) }
                name = String(bare)
            default:
                throw error("expected a key, found \(found)")
            }
            parts.append(KeyPart(name: name, position: start))
            skipWhitespace()
            guard peek == "." else { return parts }
            advance()
        }
    }

    /// Tables nested deeper than `maximumNesting` are rejected rather than risking the stack.
    private func checkDepth(_ depth: Int, at position: Position) throws(TOMLError) {
        guard depth <= Self.maximumNesting else {
            throw error("keys are nested more than \(Self.maximumNesting) deep", at: position)
        }
    }

    // MARK: - Key/value pairs

    /// keyval = key keyval-sep val
    /// keyval-sep = ws "=" ws
    mutating func parseKeyValue(into table: TOMLTableBuilder) throws(TOMLError) {
        let key = try parseKey()
        try checkDepth(table.path.count + key.count, at: key[0].position)
        guard peek == "=" else { throw error("expected '=' after the key, found \(found)") }
        advance()
        skipWhitespace()
        valuePath = table.path + key.map(\.name)
        let value = try parseValue()
        try insert(value, at: key, into: table)
    }

    /// Stores a value under a dotted key, creating the intermediate tables. Dotted keys may only extend tables
    /// that were themselves created by dotted keys in the same table.
    func insert(_ value: TOMLValue, at key: [KeyPart], into table: TOMLTableBuilder) throws(TOMLError) {
        let base = table.path
        var table = table
        for (offset, part) in key.dropLast().enumerated() {
            let path = Self.render(base + key[...offset].map(\.name))
            switch table[part.name] {
            case nil:
                let child = TOMLTableBuilder(origin: .dotted, path: table.path + [part.name])
                table[part.name] = .table(child)
                table = child
            case .table(let child) where child.origin == .dotted:
                table = child
            case .table:
                throw error(
                    "cannot add keys to table \(path) with dotted keys: it is defined elsewhere", at: part.position)
            case .tableArray:
                throw error("cannot add keys to array of tables \(path) with dotted keys", at: part.position)
            case .value(let existing):
                throw error("\(path) is already defined as \(existing.typeDescription)", at: part.position)
            }
        }
        let last = key[key.count - 1]
        guard table[last.name] == nil else {
            throw error("duplicate key \(Self.render(base + key.map(\.name)))", at: last.position)
        }
        table[last.name] = .value(value)
    }

    // MARK: - Table headers

    /// std-table = "[" ws key ws "]"
    /// array-table = "[[" ws key ws "]]"
    ///
    /// Returns the table that the following key/value pairs go into.
    mutating func parseHeader() throws(TOMLError) -> TOMLTableBuilder {
        advance()
        let isArray = peek == "["
        if isArray { advance() }
        let key = try parseKey()
        try checkDepth(key.count, at: key[0].position)
        guard peek == "]" else { throw error("expected ']' to close the table header, found \(found)") }
        advance()
        if isArray {
            guard peek == "]" else { throw error("expected ']]' to close the array of tables header, found \(found)") }
            advance()
        }

        var table = root
        for (offset, part) in key.dropLast().enumerated() {
            let path = Self.render(key[...offset].map(\.name))
            switch table[part.name] {
            case nil:
                let child = TOMLTableBuilder(origin: .implicit, path: table.path + [part.name])
                table[part.name] = .table(child)
                table = child
            case .table(let child):
                table = child
            case .tableArray(let elements):
                table = elements[elements.count - 1]
            case .value(.table):
                throw error("inline table \(path) cannot be extended", at: part.position)
            case .value(let existing):
                throw error("\(path) is already defined as \(existing.typeDescription)", at: part.position)
            }
        }

        let last = key[key.count - 1]
        let path = Self.render(key.map(\.name))
        let fresh = TOMLTableBuilder(origin: .header, path: key.map(\.name))
        switch (table[last.name], isArray) {
        case (nil, false):
            table[last.name] = .table(fresh)
            return fresh
        case (nil, true):
            table[last.name] = .tableArray([fresh])
            return fresh
        case (.table(let existing), false) where existing.origin == .implicit:
            existing.origin = .header
            return existing
        case (.table(let existing), false):
            let how = existing.origin == .dotted ? "by dotted keys" : "by a header"
            throw error("table \(path) is already defined \(how)", at: last.position)
        case (.table, true):
            throw error("\(path) is already defined as a table, not an array of tables", at: last.position)
        case (.tableArray(let elements), true):
            table[last.name] = .tableArray(elements + [fresh])
            return fresh
        case (.tableArray, false):
            throw error("\(path) is already defined as an array of tables", at: last.position)
        case (.value(.array), true):
            throw error("cannot append to static array \(path)", at: last.position)
        case (.value(let existing), _):
            throw error("\(path) is already defined as \(existing.typeDescription)", at: last.position)
        }
    }
}
