/// An Amazon SES event notification delivered by e-mail through SNS: a JSON object whose
/// `notificationType` is `Bounce`, `Complaint` or `Delivery`, with one object per recipient in
/// `bounce.bouncedRecipients` or `complaint.complainedRecipients` (`emailAddress`, `action`, `status`,
/// `diagnosticCode`). Read field by field; the notification's layout is flat enough not to need a full
/// JSON parser.
struct AmazonSESNotification {
    enum Kind { case bounce, complaint, delivery }

    struct Recipient {
        var address: String
        var action = ""
        var status = ""
        var diagnostic = ""
    }

    var kind: Kind
    var recipients: [Recipient] = []
    /// `complaint.complaintFeedbackType` (an RFC 5965 feedback type), when the complaint has one.
    var feedbackType = ""

    init?(_ text: String) {
        // Cheap test first: this runs on every bounce's explanation.
        guard Self.markers.matches(text.utf8) else { return nil }
        // SNS's mailer breaks long lines with "!" + newline + space; undo that before reading the JSON.
        var json = text.replacing("!\n ", with: "")
        guard let start = json.firstIndex(of: "{") else { return nil }
        json = String(json[start...])
        // Through SNS's JSON envelope ({"Type" : "Notification", … "Message" : "<the notification>"}).
        if json.filter({ $0 != " " && $0 != "\n" }).hasPrefix("{\"Type\":\"Notification\""),
            let inner = Self.string("Message", in: Substring(json))
        {
            json = inner
        }
        guard json.hasPrefix("{\"notificationType\"") || json.hasPrefix("{\"eventType\""),
            let type = Self.string("notificationType", in: Substring(json))
                ?? Self.string("eventType", in: Substring(json))
        else { return nil }
        let arrayKey: String
        switch type {
        case "Bounce":
            kind = .bounce
            arrayKey = "bouncedRecipients"
        case "Complaint":
            kind = .complaint
            arrayKey = "complainedRecipients"
            feedbackType = Self.string("complaintFeedbackType", in: Substring(json)) ?? ""
        case "Delivery":
            kind = .delivery
            return
        default: return nil
        }
        guard let open = json.firstRange(of: "\"\(arrayKey)\":["),
            let close = json[open.upperBound...].firstIndex(of: "]")
        else { return }
        for object in json[open.upperBound..<close].split(separator: "}") {
            guard let address = Self.string("emailAddress", in: object), address.contains("@") else { continue }
            recipients.append(
                Recipient(
                    address: DeliveryStatusFields.address(address),
                    action: Self.string("action", in: object) ?? "",
                    status: Self.string("status", in: object) ?? "",
                    diagnostic: Self.string("diagnosticCode", in: object) ?? ""
                ))
        }
    }

    private static let markers = PhraseSet([["notificationtype", "eventtype"]])

    /// The string value of the first `"key":"…"` in `text`, with JSON escapes undone.
    private static func string(_ key: String, in text: Substring) -> String? {
        guard let found = text.firstRange(of: "\"\(key)\"") else { return nil }
        var rest = text[found.upperBound...].drop { $0 == " " }
        guard rest.first == ":" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " }
        guard rest.first == "\"" else { return nil }
        var value = ""
        var escaped = false
        for character in rest.dropFirst() {
            if escaped {
                value.append(character == "n" ? "\n" : character == "t" ? "\t" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                return value
            } else {
                value.append(character)
            }
        }
        return nil
    }
}
