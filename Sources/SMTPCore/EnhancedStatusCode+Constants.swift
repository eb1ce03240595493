// Named codes from the registry of RFC 3463 §3, RFC 4954 §6, RFC 5248, RFC 6531 §3.6 and RFC 8689 §5.
extension EnhancedStatusCode {
    /// 2.0.0 Other undefined status: generic success.
    public static let success = EnhancedStatusCode(2, 0, 0)
    /// 2.1.0 Other address status: sender accepted.
    public static let senderOK = EnhancedStatusCode(2, 1, 0)
    /// 2.1.5 Destination address valid: recipient accepted.
    public static let destinationValid = EnhancedStatusCode(2, 1, 5)
    /// 2.3.0 Other or undefined mail system status.
    public static let mailSystemOK = EnhancedStatusCode(2, 3, 0)
    /// 2.6.0 Other or undefined media status: message accepted.
    public static let messageAccepted = EnhancedStatusCode(2, 6, 0)
    /// 2.7.0 Other or undefined security status: authentication succeeded.
    public static let securityOK = EnhancedStatusCode(2, 7, 0)

    /// 4.3.0 Other or undefined mail system status.
    public static let temporaryMailSystemFailure = EnhancedStatusCode(4, 3, 0)
    /// 4.3.1 Mail system full.
    public static let mailSystemFull = EnhancedStatusCode(4, 3, 1)
    /// 4.3.2 System not accepting network messages (shutting down).
    public static let systemNotAcceptingMessages = EnhancedStatusCode(4, 3, 2)
    /// 4.4.1 No answer from host.
    public static let noAnswerFromHost = EnhancedStatusCode(4, 4, 1)
    /// 4.4.2 Bad connection.
    public static let badConnection = EnhancedStatusCode(4, 4, 2)
    /// 4.4.5 System congestion.
    public static let systemCongestion = EnhancedStatusCode(4, 4, 5)
    /// 4.5.3 Too many recipients.
    public static let tooManyRecipients = EnhancedStatusCode(4, 5, 3)
    /// 4.7.0 Other or undefined security status, transient.
    public static let temporarySecurityFailure = EnhancedStatusCode(4, 7, 0)

    /// 5.1.1 Bad destination mailbox address.
    public static let badDestinationMailbox = EnhancedStatusCode(5, 1, 1)
    /// 5.1.3 Bad destination mailbox address syntax.
    public static let badDestinationMailboxSyntax = EnhancedStatusCode(5, 1, 3)
    /// 5.1.7 Bad sender's mailbox address syntax.
    public static let badSenderMailboxSyntax = EnhancedStatusCode(5, 1, 7)
    /// 5.2.3 Message length exceeds administrative limit.
    public static let messageTooLong = EnhancedStatusCode(5, 2, 3)
    /// 5.3.4 Message too big for system.
    public static let messageTooBigForSystem = EnhancedStatusCode(5, 3, 4)
    /// 5.5.0 Other or undefined protocol status.
    public static let protocolError = EnhancedStatusCode(5, 5, 0)
    /// 5.5.1 Invalid command.
    public static let invalidCommand = EnhancedStatusCode(5, 5, 1)
    /// 5.5.2 Syntax error.
    public static let syntaxError = EnhancedStatusCode(5, 5, 2)
    /// 5.5.4 Invalid command arguments.
    public static let invalidArguments = EnhancedStatusCode(5, 5, 4)
    /// 5.5.6 Line too long (RFC 4954 §6: authentication exchange line is too long).
    public static let lineTooLong = EnhancedStatusCode(5, 5, 6)
    /// 5.6.0 Other or undefined media error.
    public static let mediaError = EnhancedStatusCode(5, 6, 0)
    /// 5.6.7 Non-ASCII addresses not permitted for that sender/recipient (RFC 6531 §3.6).
    public static let nonASCIIAddressNotPermitted = EnhancedStatusCode(5, 6, 7)
    /// 5.7.0 Other or undefined security status.
    public static let securityError = EnhancedStatusCode(5, 7, 0)
    /// 5.7.1 Delivery not authorized, message refused: relaying denied.
    public static let relayDenied = EnhancedStatusCode(5, 7, 1)
    /// 5.7.4 Security features not supported.
    public static let securityFeaturesNotSupported = EnhancedStatusCode(5, 7, 4)
    /// 5.7.8 Authentication credentials invalid (RFC 4954 §6).
    public static let authenticationCredentialsInvalid = EnhancedStatusCode(5, 7, 8)
    /// 5.7.9 Authentication mechanism is too weak (RFC 4954 §6).
    public static let authenticationMechanismTooWeak = EnhancedStatusCode(5, 7, 9)
    /// 5.7.10 Encryption needed (RFC 5248).
    public static let encryptionNeeded = EnhancedStatusCode(5, 7, 10)
    /// 5.7.11 Encryption required for requested authentication mechanism (RFC 4954 §6).
    public static let encryptionRequiredForMechanism = EnhancedStatusCode(5, 7, 11)
    /// 5.7.30 REQUIRETLS support required (RFC 8689 §5).
    public static let requireTLSSupportRequired = EnhancedStatusCode(5, 7, 30)
}
