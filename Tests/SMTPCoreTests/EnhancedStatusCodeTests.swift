import SMTPCore
import Testing

@Suite struct EnhancedStatusCodeTests {
    @Test(arguments: [
        ("2.0.0", EnhancedStatusCode(2, 0, 0)),
        ("5.1.1", EnhancedStatusCode(5, 1, 1)),
        ("4.7.0", EnhancedStatusCode(4, 7, 0)),
        ("5.7.10", EnhancedStatusCode(5, 7, 10)),
        ("5.999.999", EnhancedStatusCode(5, 999, 999)),
        ("4.01.002", EnhancedStatusCode(4, 1, 2)),
    ])
    func parsesValid(text: String, expected: EnhancedStatusCode) {
        #expect(EnhancedStatusCode(text) == expected)
    }

    @Test(arguments: [
        "", "5", "5.1", "5.1.1.1", "1.1.1", "3.0.0", "6.0.0", "55.1.1", "5.1000.1", "5.1.1000", "5..1", ".5.1",
        "5.1.", "5.1.a", " 5.1.1", "5.1.1 ", "5.-1.1", "+5.1.1",
    ])
    func rejectsMalformed(text: String) {
        #expect(EnhancedStatusCode(text) == nil)
    }

    @Test func parsesSubstring() {
        let text = "xx5.7.1yy"
        #expect(EnhancedStatusCode(text.dropFirst(2).dropLast(2)) == .relayDenied)
    }

    @Test(arguments: [
        (EnhancedStatusCode.success, "2.0.0"), (.senderOK, "2.1.0"), (.destinationValid, "2.1.5"),
        (.mailSystemOK, "2.3.0"), (.messageAccepted, "2.6.0"), (.securityOK, "2.7.0"),
        (.temporaryMailSystemFailure, "4.3.0"), (.mailSystemFull, "4.3.1"), (.systemNotAcceptingMessages, "4.3.2"),
        (.noAnswerFromHost, "4.4.1"), (.badConnection, "4.4.2"), (.systemCongestion, "4.4.5"),
        (.tooManyRecipients, "4.5.3"), (.temporarySecurityFailure, "4.7.0"), (.badDestinationMailbox, "5.1.1"),
        (.badDestinationMailboxSyntax, "5.1.3"), (.badSenderMailboxSyntax, "5.1.7"), (.messageTooLong, "5.2.3"),
        (.messageTooBigForSystem, "5.3.4"), (.protocolError, "5.5.0"), (.invalidCommand, "5.5.1"),
        (.syntaxError, "5.5.2"), (.invalidArguments, "5.5.4"), (.lineTooLong, "5.5.6"), (.mediaError, "5.6.0"),
        (.nonASCIIAddressNotPermitted, "5.6.7"), (.securityError, "5.7.0"), (.relayDenied, "5.7.1"),
        (.securityFeaturesNotSupported, "5.7.4"), (.authenticationCredentialsInvalid, "5.7.8"),
        (.authenticationMechanismTooWeak, "5.7.9"), (.encryptionNeeded, "5.7.10"),
        (.encryptionRequiredForMechanism, "5.7.11"), (.requireTLSSupportRequired, "5.7.30"),
    ])
    func namedConstants(code: EnhancedStatusCode, text: String) {
        #expect(code.description == text)
        #expect(EnhancedStatusCode(text) == code)
    }
}
