extension TOMLParser {
    /// Classifies and checks the text of a boolean, number or date-time.
    static func scalarValue(_ token: String, at start: Position) throws(TOMLError) -> TOMLValue {
        func fail(_ message: String) -> TOMLError {
            TOMLError(line: start.line, column: start.column, message: message)
        }
        switch token {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        let scalars = Array(token.unicodeScalars)
        let looksLikeDate = scalars.count >= 5 && scalars[0..<4].allSatisfy { isDigit($0) } && scalars[4] == "-"
        if looksLikeDate || isTimeStart(scalars) {
            guard let value = dateTime(token) else { throw fail("invalid date or time '\(token)'") }
            return value
        }
        let unsigned = scalars.first == "+" || scalars.first == "-" ? Array(scalars.dropFirst()) : scalars
        if unsigned.count > 1 && unsigned[0] == "0" && ["x", "o", "b"].contains(unsigned[1]) {
            guard unsigned.count == scalars.count else {
                throw fail("a hexadecimal, octal or binary integer cannot have a sign")
            }
            let radix = unsigned[1] == "x" ? 16 : unsigned[1] == "o" ? 8 : 2
            guard let digits = digitsWithUnderscores(unsigned.dropFirst(2), radix: radix),
                let magnitude = UInt64(digits, radix: radix)
            else { throw fail("invalid integer '\(token)'") }
            guard let value = Int64(exactly: magnitude) else {
                throw fail("integer '\(token)' does not fit in 64 bits")
            }
            return .integer(value)
        }
        if isDigit(unsigned.first) && unsigned.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
            guard let text = floatText(scalars), let value = Double(text) else {
                throw fail("invalid float '\(token)'")
            }
            guard value.isFinite else { throw fail("float '\(token)' is out of range") }
            return .float(value)
        }
        guard let digits = digitsWithUnderscores(unsigned[...], radix: 10) else {
            throw fail("invalid value '\(token)' (strings must be quoted)")
        }
        guard digits == "0" || !digits.hasPrefix("0") else { throw fail("leading zeros are not allowed in '\(token)'") }
        guard let value = Int64(scalars.first == "-" ? "-" + digits : digits) else {
            throw fail("integer '\(token)' does not fit in 64 bits")
        }
        return .integer(value)
    }

    /// Digits of `radix` with single underscores between digits (`1_000`), returned without the underscores.
    private static func digitsWithUnderscores(_ scalars: ArraySlice<Unicode.Scalar>, radix: Int) -> String? {
        var digits = ""
        var previousWasDigit = false
        for scalar in scalars {
            if scalar == "_" {
                guard previousWasDigit else { return nil }
                previousWasDigit = false
                continue
            }
            guard let value = hexDigitValue(scalar), value < radix else { return nil }
            digits.unicodeScalars.append(scalar)
            previousWasDigit = true
        }
        return previousWasDigit ? digits : nil
    }

    /// float = float-int-part ( exp / frac [ exp ] )
    /// float-int-part = dec-int; frac = "." zero-prefixable-int; exp = "e" float-exp-part
    ///
    /// Returns the text without underscores, ready for `Double`.
    private static func floatText(_ scalars: [Unicode.Scalar]) -> String? {
        var rest = scalars[...]
        var text = ""
        if let sign = rest.first, sign == "+" || sign == "-" {
            text.unicodeScalars.append(sign)
            rest = rest.dropFirst()
        }
        let intEnd = rest.firstIndex { $0 == "." || $0 == "e" || $0 == "E" } ?? rest.endIndex
        guard let intPart = digitsWithUnderscores(rest[..<intEnd], radix: 10),
            intPart == "0" || !intPart.hasPrefix("0")
        else { return nil }
        text += intPart
        rest = rest[intEnd...]
        if rest.first == "." {
            let fracEnd = rest.firstIndex { $0 == "e" || $0 == "E" } ?? rest.endIndex
            guard let frac = digitsWithUnderscores(rest.dropFirst()[..<fracEnd], radix: 10) else { return nil }
            text += "." + frac
            rest = rest[fracEnd...]
        }
        if let marker = rest.first, marker == "e" || marker == "E" {
            rest = rest.dropFirst()
            text += "e"
            if let sign = rest.first, sign == "+" || sign == "-" {
                text.unicodeScalars.append(sign)
                rest = rest.dropFirst()
            }
            guard let exponent = digitsWithUnderscores(rest, radix: 10) else { return nil }
            text += exponent
            rest = rest[rest.endIndex...]
        }
        return rest.isEmpty ? text : nil
    }
}
