"""Sites and pools, as the operator sees them.

* `petrel queue list --by-site` asks the running server: two domains whose
  MX is the same host are one site (RFC 5321 §5.1 plans, KumoMTA's
  ready queues), with their waiting recipients counted together; without a
  running server the command says so and fails.
* A campaign picks its egress pool: `[campaign_pools]` maps the message's
  X-Campaign-ID to a pool whose source binds another local address, so the
  receiver sees the connection come from that address; a message without
  the header leaves through the "default" pool, and X-Tenant-ID selects the
  tenant's pool the same way.
"""
import json

from delivery_harness import SENDER, defer, make_message_id, wait_until
from delivery_harness import cli_ok as _cli_ok
from petrel_harness import queue_id_of, send_smtplib


def test_queue_list_by_site_groups_domains_sharing_an_mx(dns, receivers, outbound):
    dns.mx("alpha.test", "mx.shared.test", 10)
    dns.mx("beta.test", "mx.shared.test", 10)
    dns.mx("gamma.test", "mx.gamma.test", 10)
    dns.a("mx.shared.test", receivers.ip(1))
    dns.a("mx.gamma.test", receivers.ip(2))
    receivers.add(1, "mx.shared.test", default=defer())
    receivers.add(2, "mx.gamma.test", default=defer())
    petrel = outbound()

    petrel.inject(["ann@alpha.test"])
    petrel.inject(["bob@beta.test", "bea@beta.test"])
    petrel.inject(["gil@gamma.test"])
    for rcpt in ("ann@alpha.test", "bob@beta.test", "bea@beta.test", "gil@gamma.test"):
        petrel.wait_event("deferred", rcpt)

    def sites():
        r = _cli_ok(petrel, "queue", "list", "--by-site", "--json")
        rows = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
        # Settled: every deferred recipient is back in its scheduled queue.
        return rows if sum(row["scheduled"] for row in rows) == 3 else None

    rows = wait_until(sites, 20, "3 scheduled items by site", on_fail=petrel.log_tail)
    by_site = {row["site"]: row for row in rows}
    port = receivers.port
    shared = by_site.get("mx.shared.test:%d" % port)
    assert shared is not None, rows
    # One item per (message, domain): alpha's message and beta's message.
    assert shared["domains"] == ["alpha.test", "beta.test"] and shared["scheduled"] == 2, shared
    assert by_site["mx.gamma.test:%d" % port]["domains"] == ["gamma.test"], rows
    assert set(shared) == {"site", "domains", "scheduled", "ready", "connections", "suspended_until"}, shared

    table = _cli_ok(petrel, "queue", "list", "--by-site").stdout
    assert "mx.shared.test:%d" % port in table and "alpha.test,beta.test" in table, table

    petrel.stop()
    r = petrel.cli("queue", "list", "--by-site")
    assert r.returncode != 0 and "no running server" in r.stderr, (r.returncode, r.stdout, r.stderr)


def _send(petrel, rcpt, headers=""):
    message = ("From: <%s>\r\nTo: <%s>\r\nSubject: pools\r\nMessage-ID: %s\r\n%s"
               "Date: Mon, 01 Jan 2024 00:00:00 +0000\r\n\r\nHello.\r\n"
               % (SENDER, rcpt, make_message_id(), headers)).encode()
    with petrel.smtp() as c:
        c.ehlo("client.petrel.test")
        code, text = send_smtplib(c, SENDER, [rcpt], message)
        assert code == 250, "DATA -> %d %s" % (code, text)
        return queue_id_of(text)


def test_campaign_and_tenant_pick_their_egress_pool(dns, receivers, outbound):
    dns.mx("pool.test", "mx.pool.test", 10)
    dns.a("mx.pool.test", receivers.ip(1))
    mx = receivers.add(1, "mx.pool.test")
    # Three local addresses in the test's own 127.a.b.0/24 block, distinct from the receiver's.
    default_ip, promo_ip, tenant_ip = receivers.ip(61), receivers.ip(62), receivers.ip(63)
    petrel = outbound(start=False)
    base = petrel.config_text
    petrel.config_text = lambda: base() + """
[[source]]
name = "main"
address = "%s"
[[source]]
name = "promo"
address = "%s"
[[source]]
name = "acme"
address = "%s"
[[pool]]
name = "default"
sources = ["main"]
[[pool]]
name = "promo-pool"
sources = ["promo"]
[[pool]]
name = "acme-pool"
sources = ["acme"]
[tenant_pools]
acme = "acme-pool"
[campaign_pools]
spring-sale = "promo-pool"
""" % (default_ip, promo_ip, tenant_ip)
    petrel.write_config()
    petrel.start()

    _send(petrel, "one@pool.test")
    _send(petrel, "two@pool.test", "X-Campaign-ID: spring-sale\r\n")
    _send(petrel, "three@pool.test", "X-Tenant-ID: acme\r\n")
    # The campaign's pool wins over the tenant's.
    _send(petrel, "four@pool.test", "X-Tenant-ID: acme\r\nX-Campaign-ID: spring-sale\r\n")
    got = wait_until(lambda: mx.received() if len(mx.received()) == 4 else None, 30, "4 messages at the MX",
                     on_fail=petrel.log_tail)
    peers = {r.rcpt_tos[0]: r.peer[0] for r in got}
    assert peers == {"one@pool.test": default_ip, "two@pool.test": promo_ip, "three@pool.test": tenant_ip,
                     "four@pool.test": promo_ip}, peers
