import Testing

@testable import HTTPAPI

/// The Prometheus text format as `GET /api/v1/metrics` writes it, byte for byte: HELP and TYPE lines, labels,
/// escapes and numbers.
@Suite struct MetricsTextTests {
    @Test func familiesSamplesAndLabels() {
        var text = MetricsText()
        text.single("petrel_smtp_sessions", .gauge, help: "Open sessions.", 3)
        text.family("petrel_queue_domain_items", .gauge, help: "Items by domain.")
        text.sample("petrel_queue_domain_items", ["domain": "example.com"], 12)
        text.sample("petrel_queue_site_items", ["site": "mx.example.com", "state": "ready"], 0)
        #expect(
            text.text == """
                # HELP petrel_smtp_sessions Open sessions.
                # TYPE petrel_smtp_sessions gauge
                petrel_smtp_sessions 3
                # HELP petrel_queue_domain_items Items by domain.
                # TYPE petrel_queue_domain_items gauge
                petrel_queue_domain_items{domain="example.com"} 12
                petrel_queue_site_items{site="mx.example.com",state="ready"} 0

                """)
    }

    @Test func labelValuesAndHelpAreEscaped() {
        var text = MetricsText()
        text.family("m", .counter, help: "a \\ b\nc \"d\"")
        text.sample("m", ["v": "x\\y\"z\nw"], 1)
        #expect(
            text.text == """
                # HELP m a \\\\ b\\nc "d"
                # TYPE m counter
                m{v="x\\\\y\\"z\\nw"} 1

                """)
    }

    @Test func numbers() {
        #expect(MetricsText.format(0) == "0")
        #expect(MetricsText.format(-42) == "-42")
        #expect(MetricsText.format(1_234_567_890_123) == "1234567890123")
        #expect(MetricsText.format(0.25) == "0.25")
        #expect(MetricsText.format(1e20) == "1e+20")
        #expect(MetricsText.format(.infinity) == "+Inf")
        #expect(MetricsText.format(-.infinity) == "-Inf")
        #expect(MetricsText.format(.nan) == "NaN")
    }
}
