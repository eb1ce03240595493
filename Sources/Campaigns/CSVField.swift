/// Writing CSV (RFC 4180 §2): the counterpart of `CSVReader`, for every export.
public enum CSVField {
    /// A field as it goes into a line: quoted, with quotes doubled, when it holds a comma, a quote or a line
    /// break (CR, LF or CRLF, which Swift counts as one Character); as it is otherwise.
    public static func quoted(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
