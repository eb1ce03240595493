import MailMessage

/// Turns one received message into what it says about each failed recipient: RFC 3464 delivery status
/// notifications, RFC 5965 feedback reports and the free-form bounces of MTAs that send neither.
///
/// Pure: bytes in, values out. A message that is not a bounce (an auto-reply, a delivery-success notice,
/// ordinary mail) yields no records. LF and CRLF line endings give the same answers.
public enum BounceParser {
    /// Messages larger than this are read only up to this many bytes; a bounce's own parts come first.
    public static let maximumMessageSize = 4 << 20

    public static func parse(_ bytes: some Collection<UInt8>) -> [BounceRecord] {
        parse(bytes, depth: 0)
    }

    /// What a delivery-status report (RFC 3464) says when its per-recipient fields name no recipient
    /// (Final-Recipient is required, not every MTA writes one): a record with an empty recipient, classified
    /// like any other, for a caller that knows the recipient otherwise (a VERP address). Nil when the message
    /// has no such report, or when the report names recipients or reports a success.
    public static func unnamedRecipientRecord(_ bytes: some Collection<UInt8>) -> BounceRecord? {
        let context = context(of: bytes)
        guard let status = context.message.deliveryStatus,
            let group = DeliveryStatusFields(parsing: status).unnamed
        else { return nil }
        let action = group.action.split(separator: " ").first.map(String.init) ?? ""
        guard !successActions.contains(action) else { return nil }
        return record(
            recipient: "", diagnostic: group.diagnostic, statusField: context.perRecipientText ? "" : group.status,
            delayed: action == "delayed", context: context)
    }

    private static func context(of bytes: some Collection<UInt8>) -> Context {
        let message = BounceMessage(normalized: BounceMessage.normalized(Array(bytes.prefix(maximumMessageSize))))
        let originalHeaders = message.original.map(ReturnedMessage.headers) ?? []
        var context = Context(
            message: message, originalHeaders: originalHeaders, messageID: ReturnedMessage.messageID(originalHeaders))
        // Google Groups returns a post it refuses (the group does not exist or the sender may not post) with the
        // group as the failed recipient and a localized explanation: a refusal of the sender.
        let failed = message.header("X-Failed-Recipients")?.lowercased() ?? ""
        context.refusesSender = failed.hasSuffix("@googlegroups.com") || failed.contains("@googlegroups.com,")
        context.isExim = EximBounce.matches(message)
        // OpenSMTPD's mta.c / bounce.c: "Mailer Daemon <…>", "Delivery status notification: error|delayed|…".
        context.perRecipientText =
            (message.header("From") ?? "").hasPrefix("Mailer Daemon <")
            && (message.header("Subject") ?? "").hasPrefix("Delivery status notification")
        return context
    }

    private static func parse(_ bytes: some Collection<UInt8>, depth: Int) -> [BounceRecord] {
        var context = context(of: bytes)
        let message = context.message

        if let report = message.feedbackReport {
            return feedbackRecords(FeedbackReport(parsing: report), context)
        }
        if let complaint = providerComplaint(context) {
            return [complaint]
        }
        if let notification = AmazonSESNotification(message.explanation) {
            return amazonSESRecords(notification, context)
        }
        if let status = message.deliveryStatus {
            let fields = DeliveryStatusFields(parsing: status)
            // A DSN whose recipients are all files or programs (Exim's "save to /path") names no address;
            // the text says which address they were generated from.
            let records = fields.recipients.isEmpty ? [] : deliveryStatusRecords(fields, context)
            if !records.isEmpty { return records }
            if fields.recipients.count == 1 { context.dsnStatus = fields.recipients[0].status }
        }
        guard message.deliveryStatus != nil || BounceDetector.looksLikeBounce(message) else { return [] }
        // Some MTAs paste the RFC 3464 fields into the text part instead of a message/delivery-status part:
        // those name the failed recipients; other addresses in the prose are not.
        var addressless = false
        let records = textRecords(context, addressless: &addressless)
        // A notice that names no address but returns a bounce with its own report (a relay forwarding the
        // DSN it got, a filter wrapping one): the returned bounce says who failed.
        if addressless, depth < 2, message.deliveryStatus == nil, let original = message.original {
            let inner = parse(original, depth: depth + 1)
            if !inner.isEmpty { return inner }
        }
        if message.deliveryStatus == nil, PhraseSearch.containsIgnoringCase(message.explanation, finalRecipientField) {
            let named = Set(
                DeliveryStatusFields(parsing: message.explanation).recipients.flatMap {
                    [$0.finalRecipient, $0.originalRecipient]
                })
            let listed = records.filter { named.contains($0.recipient) }
            if !listed.isEmpty { return listed }
        }
        return records
    }

    struct Context {
        var message: BounceMessage
        var originalHeaders: [HeaderField]
        var messageID: String
        var refusesSender = false
        /// Written by Exim, whose wording stands for a status code when it quotes none.
        var isExim = false
        /// Written by OpenSMTPD, whose text names each recipient's own error ("user@example: Envelope
        /// expired"); its delivery-status part only repeats a generic Status, and its boilerplate ("this is
        /// only a temporary failure report") is not about any one recipient.
        var perRecipientText = false
        /// The start of the explanation on one line, what the reason rules consult when the diagnostic is silent.
        var explanationLine: String {
            TextScanner.oneLine(String(decoding: message.explanation.utf8.prefix(4000), as: UTF8.self))
        }
        /// Whether the explanation calls the failure temporary.
        var explanationSaysTemporary: Bool {
            ReasonClassifier.isTemporary(status: nil, replyCode: nil, text: explanationLine)
        }
        /// The Status field of a DSN whose only recipient is not an address (a file, a program).
        var dsnStatus = ""
    }

    // RFC 5965 §3.2: Original-Rcpt-To is optional; without it the report names no recipient.
    // Without it, the To of the reported message is the complaining recipient.
    private static func feedbackRecords(_ report: FeedbackReport, _ context: Context) -> [BounceRecord] {
        var recipients = report.recipients
        if recipients.isEmpty {
            let to = context.originalHeaders.value(of: "To") ?? ""
            recipients = Array(TextScanner.addresses(in: to).prefix(1))
        }
        if recipients.isEmpty { recipients = [""] }
        return recipients.map { recipient in
            BounceRecord(
                recipient: recipient, reason: .feedback, deliveryStatus: "", replyCode: nil, isHardBounce: false,
                diagnosticCode: "", action: "", feedbackType: report.feedbackType, messageID: context.messageID,
                originalHeaders: context.originalHeaders
            )
        }
    }

    /// Complaints that come without an RFC 5965 report part: Microsoft's JMRP (the reported message returned
    /// with an X-HmXmrOriginalRecipient field naming the complaining recipient) and Apple Mail's unsubscribe
    /// request (X-Apple-Unsubscribe: true, sent from the unsubscribing recipient's own address).
    private static func providerComplaint(_ context: Context) -> BounceRecord? {
        var recipient: String
        var type: String
        if let value = context.originalHeaders.value(of: "X-HmXmrOriginalRecipient"),
            let address = TextScanner.addresses(in: value).first
        {
            recipient = address
            type = "abuse"
        } else if context.message.header("X-Apple-Unsubscribe")?.lowercased().trimmed == "true",
            let address = TextScanner.addresses(in: context.message.header("From") ?? "").first
        {
            recipient = address
            type = "opt-out"
        } else {
            return nil
        }
        return BounceRecord(
            recipient: recipient, reason: .feedback, deliveryStatus: "", replyCode: nil, isHardBounce: false,
            diagnosticCode: "", action: "", feedbackType: type, messageID: context.messageID,
            originalHeaders: context.originalHeaders
        )
    }

    private static func amazonSESRecords(_ notification: AmazonSESNotification, _ context: Context) -> [BounceRecord] {
        notification.recipients.compactMap { recipient in
            switch notification.kind {
            case .delivery: return nil
            case .complaint:
                return BounceRecord(
                    recipient: recipient.address, reason: .feedback, deliveryStatus: "", replyCode: nil,
                    isHardBounce: false, diagnosticCode: "", action: "",
                    feedbackType: notification.feedbackType.isEmpty ? "abuse" : notification.feedbackType.lowercased(),
                    messageID: context.messageID, originalHeaders: context.originalHeaders
                )
            case .bounce:
                if successActions.contains(recipient.action.lowercased()) { return nil }
                var diagnostic = recipient.diagnostic
                if diagnostic.lowercased().hasPrefix("smtp;") { diagnostic = diagnostic.dropFirst(5).trimmed }
                return record(
                    recipient: recipient.address, diagnostic: diagnostic, statusField: recipient.status,
                    delayed: recipient.action.lowercased() == "delayed", context: context
                )
            }
        }
    }

    // RFC 3464 §2.3.3: only "failed" and "delayed" report a problem; "delivered", "relayed" and "expanded"
    // are success notices.
    private static let successActions: Set<String> = ["delivered", "relayed", "expanded"]

    private static func deliveryStatusRecords(_ fields: DeliveryStatusFields, _ context: Context) -> [BounceRecord] {
        var records: [BounceRecord] = []
        let postfix = context.message.deliveryStatus.map { PhraseSearch.contains($0, postfixField) } ?? false
        // The prose is read once, and only when some recipient's group has no Diagnostic-Code.
        var findings: [TextBounceScanner.Finding]?
        for group in fields.recipients {
            let action = group.action.split(separator: " ").first.map(String.init) ?? ""
            if successActions.contains(action) { continue }
            var recipient = group.finalRecipient.isEmpty ? group.originalRecipient : group.finalRecipient
            // A final recipient rewritten to a local name ("user@daemon") says less than the original one;
            // Postfix (X-Postfix-* fields) reports the mailbox it failed to deliver to, which stays.
            // (A bare "@" has no domain at all.)
            let domain = recipient.split(separator: "@").last ?? ""
            if !postfix, !domain.contains("."), group.originalRecipient.contains(".") {
                recipient = group.originalRecipient
            }
            // RFC 3464 §2.3.2: a final recipient of another address type (an X.400 O/R name from a gateway) is
            // not a mailbox; the original recipient is the address the sender used.
            if !recipient.contains("@") && group.originalRecipient.contains("@") {
                recipient = group.originalRecipient
            }
            guard recipient.contains("@"), !records.contains(where: { $0.recipient == recipient }) else { continue }
            var diagnostic = group.diagnostic
            if diagnostic.isEmpty {
                if findings == nil { findings = TextBounceScanner.scan(context.message.explanation, excluding: []) }
                if let finding = findings!.first(where: { $0.recipient == recipient }) {
                    diagnostic = finding.diagnostic
                }
            }
            records.append(
                record(
                    recipient: recipient, diagnostic: diagnostic,
                    statusField: context.perRecipientText ? "" : group.status,
                    delayed: action == "delayed", context: context
                ))
        }
        return records
    }

    private static func textRecords(_ context: Context, addressless: inout Bool) -> [BounceRecord] {
        // The bounce's own header names the sender of the original and the reporting system, never the
        // failed recipient. (The original's From may well be the recipient: mail to oneself.)
        var excluded = Set<String>()
        for field in context.message.headers {
            switch field.name.lowercased() {
            case "from", "to", "cc", "sender", "reply-to": excluded.formUnion(TextScanner.addresses(in: field.value))
            default: break
            }
        }
        var findings = TextBounceScanner.scan(context.message.explanation, excluding: excluded)
        // Bounces that name no address in their text (Google Groups, some localized notices) are about the
        // recipient of the returned message.
        addressless = findings.isEmpty
        if findings.isEmpty,
            let to = context.originalHeaders.value(of: "To"),
            let recipient = TextScanner.addresses(in: to).first, !excluded.contains(recipient)
        {
            findings = [.init(recipient: recipient, diagnostic: TextScanner.oneLine(context.message.explanation))]
        }
        let single = findings.count == 1
        return findings.map { finding in
            record(
                recipient: finding.recipient, diagnostic: finding.diagnostic,
                statusField: !single
                    ? ""
                    : context.dsnStatus.isEmpty
                        ? StatusCodeChoice.fromDiagnostic(context.message.explanation) ?? "" : context.dsnStatus,
                delayed: false, context: context
            )
        }
    }

    private static let finalRecipientField = Array("final-recipient:".utf8)

    // Postfix's own per-recipient fields (X-Postfix-Sender, …), as Postfix spells them.
    private static let postfixField = Array("\nX-Postfix-".utf8)

    private static func record(
        recipient: String, diagnostic: String, statusField: String, delayed: Bool, context: Context
    ) -> BounceRecord {
        var status = TextScanner.enhancedStatus(in: statusField)
        let quoted = StatusCodeChoice.fromDiagnostic(diagnostic)
        // The remote server's own specific code says more than the reporting MTA's Status field (a generic
        // x.0.0, or x.4.7 "delivery time expired" when the last attempt got a reason).
        if let quoted, status == nil || StatusCodeChoice.isSpecific(quoted) || status!.hasSuffix(".0.0") {
            status = quoted
        }
        let diagnostic = TextScanner.withoutContinuationCodes(TextScanner.oneLine(diagnostic))
        let replyCode = TextScanner.replyCode(in: diagnostic)
        if status == nil && context.isExim {
            status = EximBounce.pseudoStatus(diagnostic: diagnostic, replyCode: replyCode)
        }
        var reason = ReasonClassifier.classify(diagnostic: diagnostic, status: status, context: context.explanationLine)
        // RFC 3464 §2.3.3 "delayed": still being retried; a cause the text names (a program, a full mailbox) stays.
        if delayed && [.onHold, .undefined, .networkError, .systemError, .hostUnknown].contains(reason) {
            reason = .expired
        }
        if context.refusesSender && (reason == .onHold || reason == .undefined) { reason = .rejected }
        let temporary =
            ReasonClassifier.isTemporary(status: status, replyCode: replyCode, text: diagnostic)
            || (!context.perRecipientText && status == nil && replyCode == nil && context.explanationSaysTemporary)
        let permanent = !(status?.hasPrefix("4") ?? temporary)
        return BounceRecord(
            recipient: recipient,
            reason: reason,
            deliveryStatus: status ?? reason.pseudoStatus(temporary: temporary),
            replyCode: replyCode,
            isHardBounce: reason.isHard(permanent: permanent),
            diagnosticCode: diagnostic.isEmpty ? "" : TextScanner.oneLine(diagnostic),
            action: reason == .expired ? "delayed" : "failed",
            feedbackType: "",
            messageID: context.messageID,
            originalHeaders: context.originalHeaders
        )
    }
}
