import Foundation
import Queue
import Spool

/// Text and JSON forms of queued messages for `petrel queue`.
enum QueueFormatter {
    static func json(_ message: SpooledMessage) -> String {
        let envelope = message.envelope
        var object: [String: Any] = [
            "id": message.id.description,
            "sender": envelope.sender,
            "recipients": envelope.recipients.map(\.address),
            "recipient_states": envelope.recipients.map { "\($0.state)" },
            "size": message.size,
            "arrival": iso8601(envelope.arrival),
            "message_id": envelope.messageID ?? NSNull(),
        ]
        object["client"] = envelope.clientAddress ?? NSNull()
        object["auth_user"] = envelope.authUser ?? NSNull()
        object["listener"] = envelope.listener ?? NSNull()
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func table(_ messages: [SpooledMessage]) -> String {
        guard !messages.isEmpty else { return "Mail queue is empty\n" }
        var out = "-Queue ID-       --Size-- ----Arrival Time---- -Sender/Recipient-------\n"
        var total = 0
        for message in messages {
            total += message.size
            let sender = message.envelope.sender.isEmpty ? "MAILER-DAEMON" : message.envelope.sender
            out +=
                pad(message.id.description, 16) + " " + pad(String(message.size), 8, right: true) + " "
                + pad(shortDate(message.envelope.arrival), 20) + " " + sender + "\n"
            for recipient in message.envelope.recipients {
                let state = recipient.state == .pending ? "" : " (\(recipient.state))"
                out += String(repeating: " ", count: 47) + recipient.address + state + "\n"
            }
            out += "\n"
        }
        out += "-- \((total + 1023) / 1024) Kbytes in \(messages.count) Request\(messages.count == 1 ? "" : "s").\n"
        return out
    }

    /// Pending recipients grouped by destination domain.
    static func byDomain(_ messages: [SpooledMessage], suspended: Set<String>, json: Bool) -> String {
        var groups: [String: (messages: Set<QueueID>, recipients: Int, oldest: Date)] = [:]
        for message in messages {
            for recipient in message.envelope.recipients
            where recipient.state == .pending || recipient.state == .deferred {
                let domain = recipient.address.split(separator: "@").last.map { $0.lowercased() } ?? ""
                var group = groups[domain] ?? ([], 0, message.envelope.arrival)
                group.messages.insert(message.id)
                group.recipients += 1
                group.oldest = min(group.oldest, message.envelope.arrival)
                groups[domain] = group
            }
        }
        let now = Date()
        var out = json ? "" : "domain                                   messages recipients oldest     state\n"
        for domain in Set(groups.keys).union(suspended).sorted() {
            let group = groups[domain]
            let age = group.map { Int(now.timeIntervalSince($0.oldest)) }
            let state = suspended.contains(domain) ? "suspended" : "active"
            if json {
                let object: [String: Any] = [
                    "domain": domain, "messages": group?.messages.count ?? 0, "recipients": group?.recipients ?? 0,
                    "oldest_age_seconds": age ?? NSNull(), "suspended": suspended.contains(domain),
                ]
                let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
                out += String(decoding: data, as: UTF8.self) + "\n"
            } else {
                out +=
                    pad(domain, 40) + " " + pad(String(group?.messages.count ?? 0), 8, right: true) + " "
                    + pad(String(group?.recipients ?? 0), 10, right: true) + " "
                    + pad(age.map(Self.age) ?? "-", 10) + " " + state + "\n"
            }
        }
        return out
    }

    /// The server's SITES reply (a JSON array of `QueueManager.SiteSummary`) as a table or JSON lines.
    static func bySite(json: String, asJSONLines: Bool) throws -> String {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let sites = try decoder.decode([QueueManager.SiteSummary].self, from: Data(json.utf8))
        var out =
            asJSONLines ? "" : "site                                     scheduled  ready conns state      domains\n"
        for site in sites {
            let state = site.suspendedUntil.map { "suspended until \($0.formatted(.iso8601))" } ?? "active"
            if asJSONLines {
                let object: [String: Any] = [
                    "site": site.site, "domains": site.domains, "scheduled": site.scheduled, "ready": site.ready,
                    "connections": site.connections,
                    "suspended_until": site.suspendedUntil.map { $0.formatted(.iso8601) } ?? NSNull(),
                ]
                let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
                out += String(decoding: data, as: UTF8.self) + "\n"
            } else {
                out +=
                    pad(site.site, 40) + " " + pad(String(site.scheduled), 9, right: true) + " "
                    + pad(String(site.ready), 6, right: true) + " " + pad(String(site.connections), 5, right: true)
                    + " " + pad(state, 10) + " " + site.domains.joined(separator: ",") + "\n"
            }
        }
        return out
    }

    static func age(_ seconds: Int) -> String {
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 7200 { return "\(seconds / 60)m" }
        if seconds < 172_800 { return "\(seconds / 3600)h" }
        return "\(seconds / 86_400)d"
    }

    static func details(_ message: SpooledMessage) -> String {
        let envelope = message.envelope
        var lines = [
            "id: \(message.id)",
            "arrival: \(iso8601(envelope.arrival))",
            "size: \(message.size)",
            "sender: <\(envelope.sender)>",
        ]
        if let messageID = envelope.messageID { lines.append("message_id: \(messageID)") }
        if let client = envelope.clientAddress { lines.append("client: \(client) helo=\(envelope.heloName ?? "")") }
        if let user = envelope.authUser { lines.append("auth_user: \(user)") }
        if let listener = envelope.listener { lines.append("listener: \(listener)") }
        if let body = envelope.bodyType { lines.append("body: \(body)") }
        if envelope.smtpUTF8 { lines.append("smtputf8: yes") }
        if let envid = envelope.envid { lines.append("envid: \(envid)") }
        if let ret = envelope.ret { lines.append("ret: \(ret)") }
        for recipient in envelope.recipients {
            var line = "recipient: <\(recipient.address)> \(recipient.state)"
            if let orcpt = recipient.orcpt { line += " orcpt=\(orcpt)" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        guard text.count < width else { return text }
        let fill = String(repeating: " ", count: width - text.count)
        return right ? fill + text : text + fill
    }

    static func iso8601(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    private static func shortDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE MMM dd HH:mm:ss"
        return formatter.string(from: date)
    }
}
