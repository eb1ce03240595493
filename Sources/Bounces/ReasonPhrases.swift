/// Wording that real MTAs and mailbox providers use for each failure reason, lower case. Checked in the
/// order of `ReasonPhrases.ordered`: more specific reasons (authentication, reverse DNS, reputation) come
/// before the broad ones ("rejected", "blocked") that their messages also tend to contain.
enum ReasonPhrases {
    static let ordered: [(BounceReason, [String])] = [
        // Google Groups' spam verdict, whose advice ("set up SPF records") would read as an SPF failure.
        (.spamDetected, ["rejected due to spam classification"]),
        // Gmail: "This message was blocked because its content presents a potential security issue".
        (.policyViolation, ["its content presents a potential"]),
        // Mailman holding a post: "Post by non-member to a members-only list".
        (.policyViolation, ["non-member to a members-only list"]),
        (
            .authFailure,
            [
                "dmarc policy", "dmarc authentication", "spf check failed", "spf failure", "spf fail", "failed spf",
                "does not pass spf", "not pass dkim", "dkim signature", "dkim check failed", "sender policy framework",
                "unauthenticated email", "dmarc rejection", "authentication requirements", "fails dmarc",
                "due to dmarc", "dmarc) policy", "spf) record", "is not designated to send",
                "not authorized to send on behalf", "sender is not authorized", "is not permitted by domain",
                "spf validation", "spf record", "authentication checks", "authentication information",
                "authentication check failed", "sender authentication failed",
            ]
        ),
        (
            .requirePTR,
            [
                "reverse dns", "no ptr record", "ptr record", "reverse lookup", "rdns", "no reverse",
                "reverse hostname",
                "cannot find your hostname", "client host name", "hostname does not match", "cannot resolve your",
                "unresolvable", "does not resolve to your", "no dns name", "ip name lookup failed",
                "please set up a matching ptr", "unverifyable sending ip", "unverifiable sending ip",
                "mismatches client ip",
            ]
        ),
        (
            .badReputation,
            [
                "poor reputation", "bad reputation", "low reputation", "ip reputation", "sender reputation",
                "domain reputation", "reputation of", "temporarily rate limited due to ip reputation",
            ]
        ),
        (
            .virusDetected,
            [
                "virus", "malware", "infected", "trojan", "security policies - mcspamsignature",
            ]
        ),
        (
            .speeding,
            [
                "rate limit", "too many messages", "sending rate", "message rate", "exceeded the rate",
                "receiving mail at a rate", "throttl",
            ]
        ),
        (
            .tooManyConnections,
            [
                "too many connections", "connection frequency limited", "ip frequency limited",
                "too many concurrent", "connection rate limit", "too many smtp sessions", "frequency limited",
            ]
        ),
        (
            .notCompliantRFC,
            [
                "rfc 5322", "rfc5322", "rfc 2822", "rfc2822", "not rfc compliant", "not compliant with rfc",
                "multiple from", "more than one", "header is not compliant", "multiple addresses in from",
            ]
        ),
        // Sendmail's own queue file system is full ("452 4.4.5 Insufficient disk space; try again later").
        (.systemFull, ["insufficient disk space; try again"]),
        // No SMTP session could be set up at all, before the "expired" wording the same notices use.
        (
            .networkError,
            [
                "wasn't able to establish", "unable to establish", "no route to host", "dns query failed",
            ]
        ),
        (.securityError, ["unauthenticated sender", "authentication required", "auth required"]),
        (.policyViolation, ["denied by policy", "by local policy"]),
        (.spamDetected, ["blacklisted url", "url in message", "unsolicited bulk", ", ube,"]),
        (.tooManyConnections, ["too many recipients"]),
        // Failures about the envelope sender, before the recipient wording they share ("address rejected").
        (
            .rejected,
            [
                "sender address rejected", "sender rejected", "domain of sender address", "sender verify failed",
                "sender domain", "invalid sender", "sender denied", "bad sender", "unknown sender", "sender unknown",
                "after mail from", "in reply to mail from", "reply to mail from", "envelope sender",
                "sender verification", "[mail_from]", "purported responsible address", "provide a valid from",
            ]
        ),
        (
            .hasMoved,
            [
                "has moved", "address has changed", "no longer available at this address", "changed address",
                "mailbox has moved", "user has moved", "forwarding address",
            ]
        ),
        (
            .exceedLimit,
            [
                "exceeds fixed maximum message size", "recipient limit",
            ]
        ),
        (
            .mailboxFull,
            [
                "mailbox full", "mailbox is full", "mailbox quota", "quota exceeded", "over quota", "overquota",
                "exceeded storage", "exceeded its storage", "storage allocation", "disk quota", "insufficient disk",
                "mailbox size limit", "mailbox is over", "full mailbox", "mailfolder is full", "mail box full",
                "too much mail", "would exceed", "exceeds quota", "exceeded quota", "quota exceed", "maildir over",
                "user is over", "account is full", "is over quota", "has exceeded", "not enough space",
                "out of storage", "inbox is full", "mailbox exceeds", "size exceeds the limit", "quota full",
                "space is not enough", "not enough disk space", "reached disk quota", "reached quota",
                "mailbox has exceeded",
            ]
        ),
        // A local delivery program failed, whatever it printed ("No such user" from procmail is its own error).
        (
            .mailerError,
            [
                "procmail", "pipe to |", "command output", "mailer error", "command died", "exit code",
                "unable to execute",
            ]
        ),
        (
            .messageTooBig,
            [
                "message too big", "message too large", "message size exceeds", "message is too large",
                "message is too big", "size exceeds", "too large", "exceeds size limit", "message length exceeds",
                "message size limit", "exceeded the maximum size", "mail size limit", "message exceeds",
                "size limit exceeded", "maximum message size", "message file too big", "line limit exceeded",
            ]
        ),
        (
            .suspend,
            [
                "account disabled", "account is disabled", "account has been disabled", "disabled account",
                "mailbox disabled", "mailbox is disabled", "account suspended", "account is suspended",
                "suspended account", "has been suspended", "account has been suspended", "inactive account",
                "account is inactive", "mailbox inactive", "mailbox is inactive", "account is not active",
                "account expired", "account deactivated", "has been deactivated", "is locked", "temporarily disabled",
                "not active", "is not available", "account is unavailable", "inactive",
                "user(s) account is disabled", "mailbox currently suspended", "account is frozen", "deactivated",
                "is frozen", "temporary locked", "temporarily locked", "account is blocked",
            ]
        ),
        (
            .hostUnknown,
            [
                "dns lookup failure: host",
                "host unknown", "unknown host", "domain not found", "no such domain", "domain does not exist",
                "host not found", "name or service not known", "unrouteable mail domain", "domain is not reachable",
                "no mx", "unknown domain", "domain name not found", "nxdomain", "does not have an mx",
                "invalid domain", "domain isn't in my list", "not a valid domain", "hostname lookup failed",
                "no route to host", "host or domain name not found", "domain could not be found",
                "unroutable domain", "unrouteable address", "no such host",
            ]
        ),
        (
            .userUnknown,
            [
                "user unknown", "unknown user", "no such user", "no such recipient", "no such mailbox",
                "unknown recipient",
                "invalid recipient", "recipient unknown", "user not found", "does not exist", "doesn't exist",
                "no mailbox", "mailbox not found", "address rejected", "unknown address", "not a valid mailbox",
                "invalid mailbox", "no such address", "user doesn't exist", "unknown local part", "unknown mailbox",
                "address unknown", "recipient not found", "no valid recipients",
                "not found in", "addressee unknown", "invalid address", "bad destination mailbox", "no longer valid",
                "recipient address rejected", "user is unknown", "unknown or illegal", "not our customer",
                "mailbox unknown", "mailbox does not exist", "no user", "invalid user", "unknown account",
                "not exist", "not listed in", "no account", "recipient does not exist", "account does not exist",
                "is not a valid", "nonexistent", "non-existent", "unknown e-mail address", "address not present",
                "user invalid", "no such person", "userid", "not known",
                "undeliverable address", "no such local user",
                "cannot be found", "address is not valid", "unknown to", "not a known user", "user does not exist",
                "could not be found", "no mail box",
                "recipient no longer on server", "recipient is not exist", "the email account that you tried",
                "no such", "unable to deliver message to", "mailbox unavailable",
                // Lotus Domino, Japanese, in ISO-2022-JP as sent (case-folded): "…ディレクトリには見つかりません"
                // (not found in the directory).
                "%g%#%l%/%h%j$k$o8+$d$+$j$^$;$s",
            ]
        ),
        (
            .notAccept,
            [
                "null mx", "does not accept mail", "not accepting mail", "accepts no mail", "does not accept email",
                "no longer accepts mail", "not accept any mail",
            ]
        ),
        (
            .noRelaying,
            [
                "relay access denied", "relaying denied", "relay not permitted", "relaying not allowed",
                "not permitted to relay", "unable to relay", "we do not relay", "relay denied", "no relaying",
                "relaying mail to", "not allowed to relay", "open relay", "relay prohibited",
            ]
        ),
        // DNS blocklists by name, before "spam" (which "spamhaus" and "spamcop" contain).
        (.blocked, ["spamhaus", "spamcop", "blocked using", "dnsbl", "blocklist", "blacklist"]),
        (
            .spamDetected,
            [
                "spam", "junk mail", "bulk mail", "unsolicited", "content filter rejection", "message filtered",
                "classified as", "looks like", "suspicious", "scored as", "high probability",
            ]
        ),
        (
            .blocked,
            [
                "blocklist", "blacklist", "block list", "black list", "listed at", "listed on", "listed in",
                "spamhaus", "spamcop", "sorbs", "barracuda", "dnsbl", "rbl", "blocked using", "your ip",
                "ip address", "client host", "access denied", "connection refused", "not allowed to send",
                "has been blocked", "is blocked", "are blocked", "blocked by", "banned", "refused to talk",
                "dynamic ip", "dialup", "residential", "sending ip", "your host", "connections not accepted",
                "service unavailable", "poor email reputation", "denied", "blocked",
            ]
        ),
        (
            .policyViolation,
            [
                "policy", "prohibited", "not permitted", "not allowed", "restricted", "violat",
            ]
        ),
        (
            .securityError,
            [
                "tls", "starttls", "encryption", "certificate", "authentication required", "auth required",
                "must issue a starttls", "secure connection", "security", "authentication failed",
            ]
        ),
        (
            .rejected,
            [
                "sender rejected", "sender address rejected", "sender denied", "sender is rejected",
                "domain of sender address", "sender verify failed", "sender verification", "invalid sender",
                "sender domain", "from address", "mail from", "envelope sender", "bad sender", "sender unknown",
                "unknown sender", "return path", "return-path", "sender address", "your address", "reject",
            ]
        ),
        (
            .contentError,
            [
                "content", "header", "mime", "attachment", "8bit", "encoding", "character set",
            ]
        ),
        (
            .filtered,
            [
                "filtered", "filter", "message refused", "not accepted", "refused", "doesn't have a",
                "does not have a",
            ]
        ),
        (
            .syntaxError,
            [
                "syntax error", "command not recognized", "unrecognized command", "bad sequence", "syntax",
                "line too long", "command unrecognized", "improper sequence", "parameter not implemented",
                "malformed address", "not implemented",
            ]
        ),
        (
            .systemFull,
            [
                "disk full", "insufficient system storage", "out of disk", "system storage", "no space left",
            ]
        ),
        (
            .expired,
            [
                "retry time", "retry timeout", "delivery time expired", "expired", "not yet been delivered",
                "could not be delivered within", "delivery attempts will continue", "has not been collected",
                "no response from", "gave up", "giving up", "unable to deliver for", "retry period",
                "queue too long", "too long in queue", "delivery failed", "failed attempts", "for too long",
                "could not find a gateway", "connection timed out", "has been delayed", "will be retried",
                "failing for a long time", "not delivered within", "did not accept our requests to connect",
                "host not reachable",
            ]
        ),
        (
            .networkError,
            [
                "network", "name service error", "dns", "lookup", "connection timed out", "connection reset",
                "unreachable", "could not connect", "connection lost", "lost connection", "timeout", "timed out",
                "connection closed", "routing loop", "mail loop", "loops back", "too many hops", "hop count",
                "host is down", "connection dropped", "could not be resolved",
            ]
        ),
        (
            .mailerError,
            [
                "command output", "mailer error", "pipe to", "procmail", "local delivery failed",
                "unable to execute", "exit code", "error in processing", "command died",
            ]
        ),
        (
            .systemError,
            [
                "system error", "internal error", "server error", "local error",
                "system failure", "try again later", "resources temporarily unavailable", "i/o error",
                "configuration error", "misconfigur", "server busy", "mail system", "not available",
                "currently unavailable",
            ]
        ),
    ]
}
