/// One JSON object per (message, recipient), with the field names and value conventions of the bounce
/// corpus's `expected.jsonl`: empty strings rather than nulls, reply code as a string, hardbounce a boolean.
public enum BounceJSON {
    public static func line(file: String, record: BounceRecord) -> String {
        var output = "{"
        output.reserveCapacity(240 + file.utf8.count + record.diagnosticCode.utf8.count + record.messageID.utf8.count)
        append("file", file, to: &output)
        append("recipient", record.recipient, to: &output)
        append("reason", record.reason.rawValue, to: &output)
        append("deliverystatus", record.deliveryStatus, to: &output)
        append("replycode", record.replyCode.map(String.init) ?? "", to: &output)
        output += record.isHardBounce ? "\"hardbounce\": true, " : "\"hardbounce\": false, "
        append("diagnosticcode", record.diagnosticCode, to: &output)
        append("action", record.action, to: &output)
        append("feedbacktype", record.feedbackType, to: &output)
        append("messageid", record.messageID, to: &output, last: true)
        output += "}"
        return output
    }

    private static func append(_ name: String, _ value: String, to output: inout String, last: Bool = false) {
        output += "\""
        output += name
        output += "\": "
        if value.utf8.contains(where: needsEscape) {
            output += quoted(value)
        } else {
            output += "\""
            output += value
            output += "\""
        }
        if !last { output += ", " }
    }

    private static func needsEscape(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x22 || byte == 0x5C }

    // RFC 8259 §7: quotation mark, reverse solidus and control characters must be escaped.
    public static func quoted(_ value: String) -> String {
        if !value.utf8.contains(where: needsEscape) { return "\"" + value + "\"" }
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
