import Foundation
import PetrelConfig
import Testing

@Suite struct EgressConfigTests {
    @Test func sourcesPoolsRoutesAndDelivery() throws {
        let config = try PetrelConfiguration.parse(
            """
            [delivery]
            resolver = "127.0.0.1:5353"
            port = 2526
            retry_initial = "1m"
            tls = "required"
            [[source]]
            name = "ip1"
            address = "127.0.0.2"
            ehlo_name = "mta1.test"
            warmup_start = "2026-11-01"
            [[source]]
            name = "ip2"
            [[pool]]
            name = "default"
            sources = ["ip1:3", "ip2"]
            [tenant_pools]
            acme = "default"
            [campaign_pools]
            spring = "default"
            [[route]]
            domains = ["Corp.Example"]
            relay = "relay.esp.test:587"
            failover = ["mx"]
            auth_user = "u"
            auth_password = "p"
            """)
        #expect(config.delivery.port == 2526)
        #expect(config.delivery.retryInitial == .seconds(60))
        #expect(config.delivery.tls == .required)
        #expect(config.sources.map(\.name) == ["ip1", "ip2"])
        #expect(config.sources[0].warmupStart != nil)
        #expect(config.pools[0].sources.map(\.weight) == [3, 1])
        #expect(config.tenantPools == ["acme": "default"])
        #expect(config.campaignPools == ["spring": "default"])
        #expect(config.routes[0].relays == ["relay.esp.test:587", "mx"])
        #expect(config.routes[0].matches(domain: "corp.example", tenant: "anyone"))
        #expect(!config.routes[0].matches(domain: "other.example", tenant: ""))
    }

    @Test func dkimSigningDomains() throws {
        let config = try PetrelConfiguration.parse(
            """
            [dkim]
            canonicalization = "relaxed/simple"
            expiration = "14d"
            [[dkim.domain]]
            name = "Example.ORG"
            [[dkim.domain.key]]
            selector = "rsa1"
            key_file = "/k/rsa1.private"
            next_selector = "rsa2"
            next_key_file = "/k/rsa2.private"
            switch_at = "2027-01-01T00:00:00Z"
            [dkim.tenants]
            acme = "Acme.Example"
            """)
        #expect(config.dkim.canonicalization == "relaxed/simple")
        #expect(config.dkim.expiration == .seconds(14 * 86_400))
        #expect(config.dkim.domains.map(\.name) == ["example.org"])
        #expect(config.dkim.domains[0].keys[0].nextSelector == "rsa2")
        #expect(config.dkim.domains[0].keys[0].switchAt == Date(timeIntervalSince1970: 1_798_761_600))
        #expect(config.dkim.tenants == ["acme": "acme.example"])
    }

    @Test(arguments: [
        ("[delivery]\nresolver = \"nowhere\"", "delivery.resolver"),
        ("[delivery]\nretry_factor = 0.5", "delivery.retry_factor"),
        ("[delivery]\ntls = \"sometimes\"", "delivery.tls"),
        ("[[source]]\nname = \"a\"\naddress = \"not-an-ip\"", "source[0].address"),
        ("[[source]]\nname = \"a\"\nwarmup_start = \"yesterday\"", "source[0].warmup_start"),
        ("[[pool]]\nname = \"p\"\nsources = [\"ghost\"]", "pool[0].sources[0]"),
        ("[[source]]\nname = \"a\"\n[[pool]]\nname = \"p\"\nsources = [\"a:zero\"]", "pool[0].sources[0]"),
        ("[tenant_pools]\nacme = \"nope\"", "tenant_pools.acme"),
        ("[campaign_pools]\nspring = \"nope\"", "campaign_pools.spring"),
        ("[[route]]\nrelay = \"no-port\"", "route[0].relay"),
        ("[[route]]\ndomains = [\"x\"]", "route[0].relay"),
        ("[dkim]\ncanonicalization = \"loose\"", "dkim.canonicalization"),
        ("[dkim]\nheaders = [\"To\", \"Subject\"]", "dkim.headers"),
        ("[[dkim.domain]]\nname = \"x.test\"", "dkim.domain[0].key"),
        ("[[dkim.domain]]\nname = \"x.test\"\n[[dkim.domain.key]]\nselector = \"s\"", "dkim.domain[0].key[0].key_file"),
        (
            "[[dkim.domain]]\nname = \"x.test\"\n[[dkim.domain.key]]\nselector = \"s\"\nkey_file = \"k\"\nnext_selector = \"t\"",
            "dkim.domain[0].key[0].next_selector"
        ),
    ])
    func errorsNameTheKey(text: String, path: String) {
        do {
            _ = try PetrelConfiguration.parse(text)
            Issue.record("expected an error at \(path)")
        } catch {
            #expect(error.path == path, "\(error)")
        }
    }
}
