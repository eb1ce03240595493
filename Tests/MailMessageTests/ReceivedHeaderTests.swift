import Foundation
import MailMessage
import Testing

@Suite struct ReceivedHeaderTests {
    static let date = Date(timeIntervalSince1970: 1_795_619_881)

    @Test func fullHeader() {
        let header = ReceivedHeader(
            heloName: "mail.example.org",
            clientAddress: "192.0.2.10",
            clientHostname: "mail.example.org",
            byHostname: "mx.petrel.example",
            protocol: "ESMTPS",
            queueID: "4AbCdEfGh",
            recipient: "user@petrel.example",
            tls: "TLSv1.3 cipher TLS_AES_256_GCM_SHA384",
            date: Self.date
        )
        #expect(
            header.render() == "Received: from mail.example.org (mail.example.org [192.0.2.10])\r\n"
                + "\t(TLSv1.3 cipher TLS_AES_256_GCM_SHA384)\r\n"
                + "\tby mx.petrel.example with ESMTPS id 4AbCdEfGh\r\n"
                + "\tfor <user@petrel.example>; Wed, 25 Nov 2026 15:18:01 +0000\r\n"
        )
    }

    @Test func withoutHostnameRecipientOrTLS() {
        let header = ReceivedHeader(
            heloName: "client", clientAddress: "2001:db8::1", byHostname: "mx", protocol: "SMTP", queueID: "Q1",
            date: Self.date
        )
        #expect(
            header.render() == "Received: from client ([IPv6:2001:db8::1])\r\n"
                + "\tby mx with SMTP id Q1; Wed, 25 Nov 2026 15:18:01 +0000\r\n"
        )
    }

    @Test func foldsLongLines() {
        let header = ReceivedHeader(
            heloName: "a-very-long-helo-name.subdomain.example.org",
            clientAddress: "198.51.100.200",
            clientHostname: "a-very-long-reverse-dns-name.subdomain.example.org",
            byHostname: "mx1.a-rather-long-receiving-host-name.petrel.example",
            protocol: "UTF8SMTPSA",
            queueID: "0123456789ABCDEF",
            recipient: "<long.recipient.name@petrel.example>",
            date: Self.date,
            timeZoneOffsetSeconds: 3600
        )
        let rendered = header.render()
        #expect(
            rendered == "Received: from a-very-long-helo-name.subdomain.example.org\r\n"
                + "\t(a-very-long-reverse-dns-name.subdomain.example.org [198.51.100.200])\r\n"
                + "\tby mx1.a-rather-long-receiving-host-name.petrel.example with UTF8SMTPSA\r\n"
                + "\tid 0123456789ABCDEF\r\n"
                + "\tfor <long.recipient.name@petrel.example>; Wed, 25 Nov 2026 16:18:01 +0100\r\n"
        )
        for line in rendered.split(separator: "\r\n") {
            #expect(line.utf8.count <= 78)
        }
    }

    @Test func sanitizesClientText() {
        let header = ReceivedHeader(
            heloName: "evil)\r\nX-Injected: 1", clientAddress: "192.0.2.1", clientHostname: "h(o)st", byHostname: "mx",
            protocol: "ESMTP", queueID: "Q", recipient: "a b@c", tls: "TLS (x)", date: Self.date
        )
        let rendered = header.render()
        #expect(!rendered.contains("\r\nX-Injected"))
        #expect(
            rendered == "Received: from evil???X-Injected: 1 (h?o?st [192.0.2.1])\r\n\t(TLS ?x?)\r\n"
                + "\tby mx with ESMTP id Q\r\n\tfor <a?b@c>; Wed, 25 Nov 2026 15:18:01 +0000\r\n"
        )
    }

    @Test(arguments: [
        ("SMTP", "with SMTP"), ("ESMTP", "with ESMTP"), ("ESMTPA", "with ESMTPA"), ("ESMTPSA", "with ESMTPSA"),
        ("UTF8SMTPS", "with UTF8SMTPS"),
    ])
    func protocolNames(name: String, expected: String) {
        let header = ReceivedHeader(
            heloName: "c", clientAddress: "192.0.2.1", byHostname: "mx", protocol: name, queueID: "Q", date: Self.date
        )
        #expect(header.render().contains(expected))
    }
}
