"""`[[route]]`: mail for a routed domain goes to the configured upstream
relay ("host:port", AUTH PLAIN with auth_user/auth_password, tls
"disabled"), never to the domain's MX; other domains still go to their MX.
With the relay dead (nothing listening) and `failover = ["mx"]`, the mail
goes to the domain's MX instead.

The relay is an aiosmtpd server (own port, on the test's address block)
that requires AUTH and records the credentials it was given."""
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from delivery_harness import SENDER, Received, wait_until
from delivery_harness import mx_domain as _domain
from petrel_harness import free_port, toml_value

RELAY_USER = "relay-user"
RELAY_PASSWORD = "s3cret relay pass"


# ----------------------------------------------------------------------- helpers


class AuthRelay:
    """An upstream relay: aiosmtpd on (ip, free port), AUTH required
    (PLAIN/LOGIN advertised without TLS), one user."""

    def __init__(self, ip: str, user: str, password: str):
        self.ip, self.port = ip, free_port(ip)
        self.user, self.password = user, password
        self.lock = threading.Lock()
        self.auths: list[tuple[str, str, str, bool]] = []  # mechanism, login, password, accepted
        self.messages: list[Received] = []
        relay = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                mail_from = "" if envelope.mail_from == "<>" else envelope.mail_from
                rec = Received(mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content or b""),
                               session.ssl is not None, session.peer)
                with relay.lock:
                    relay.messages.append(rec)
                return "250 2.0.0 Ok: relayed"

        def authenticator(server, session, envelope, mechanism, auth_data):
            if not isinstance(auth_data, LoginPassword):
                return AuthResult(success=False, handled=False)
            login = auth_data.login.decode(errors="replace")
            password = auth_data.password.decode(errors="replace")
            ok = login == relay.user and password == relay.password
            with relay.lock:
                relay.auths.append((mechanism, login, password, ok))
            return AuthResult(success=ok, handled=False)

        self.controller = Controller(
            Handler(), hostname=ip, port=self.port, server_hostname="relay.upstream.test",
            ident="petrel-test-relay", decode_data=False, auth_required=True, auth_require_tls=False,
            authenticator=authenticator)
        self.controller.start()

    @property
    def address(self) -> str:
        return "%s:%d" % (self.ip, self.port)

    def received(self) -> list[Received]:
        with self.lock:
            return list(self.messages)

    def stop(self) -> None:
        try:
            self.controller.stop()
        except Exception:
            pass


def _dead_address(ip: str) -> str:
    """An address:port on loopback where nothing listens (connect: refused)."""
    port = free_port(ip)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        assert s.connect_ex((ip, port)) != 0, "something listens on %s:%d" % (ip, port)
    return "%s:%d" % (ip, port)


def _with_routes(petrel, routes: list[dict]):
    """Appends [[route]] tables to the Petrel's config and starts it."""
    text = []
    for route in routes:
        text.append("[[route]]")
        text += ["%s = %s" % (k, toml_value(v)) for k, v in route.items()]
        text.append("")
    base = petrel.config_text
    petrel.config_text = lambda: base() + "\n".join(text) + "\n"
    petrel.write_config()
    assert "[[route]]" in petrel.config_path.read_text()
    petrel.start()
    return petrel


# -------------------------------------------------------------------------- tests

# aiosmtpd warns about AUTH without TLS; the route says tls = "disabled".
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")



def test_routed_domain_goes_to_relay_with_auth_not_to_mx(dns, receivers, outbound):
    rcpt, direct_rcpt = "mia@routed.test", "ned@direct.test"
    mx = _domain(dns, receivers, 1, "routed.test")
    direct_mx = _domain(dns, receivers, 2, "direct.test")
    relay = AuthRelay(receivers.ip(9), RELAY_USER, RELAY_PASSWORD)
    try:
        petrel = _with_routes(outbound(start=False), [{
            "domains": ["routed.test"], "relay": relay.address, "tls": "disabled",
            "auth_user": RELAY_USER, "auth_password": RELAY_PASSWORD}])

        qid, mid = petrel.inject([rcpt])
        direct_qid, direct_mid = petrel.inject([direct_rcpt])

        got = wait_until(relay.received, 20, "the routed message at the relay", on_fail=petrel.log_tail)
        (sent,) = petrel.wait_event("sent", rcpt)
        assert sent.fields["id"] == qid and sent.fields["relay"] == receivers.ip(9), sent.line
        assert len(got) == 1, got
        assert got[0].message_id == mid and got[0].mail_from == SENDER and got[0].rcpt_tos == [rcpt]
        assert got[0].tls is False  # tls = "disabled"
        with relay.lock:
            auths = list(relay.auths)
        assert auths == [("PLAIN", RELAY_USER, RELAY_PASSWORD, True)], auths

        # The other domain is not routed: its own MX, not the relay.
        (dsent,) = petrel.wait_event("sent", direct_rcpt)
        assert dsent.fields["id"] == direct_qid and dsent.fields["relay"] == "mx.direct.test", dsent.line
        assert [m.message_id for m in direct_mx.received()] == [direct_mid]
        wait_until(lambda: petrel.queue_list() == [], 10, "the queue to empty")
        wait_until(petrel.idle, 10, "the queue to settle")
        assert len(relay.received()) == 1, "the unrouted message went to the relay too"
        assert mx.connections == 0 and mx.received() == [], "the routed domain's MX was contacted"
    finally:
        relay.stop()


def test_dead_relay_fails_over_to_mx(dns, receivers, outbound):
    rcpt = "ola@routed.test"
    mx = _domain(dns, receivers, 1, "routed.test")
    dead = _dead_address(receivers.ip(8))
    petrel = _with_routes(outbound(start=False), [{
        "domains": ["routed.test"], "relay": dead, "failover": ["mx"], "tls": "disabled",
        "auth_user": RELAY_USER, "auth_password": RELAY_PASSWORD}])

    qid, mid = petrel.inject([rcpt])

    got = wait_until(mx.received, 20, "the message at routed.test's MX after the relay failed",
                     on_fail=petrel.log_tail)
    (sent,) = petrel.wait_event("sent", rcpt)
    assert sent.fields["id"] == qid and sent.fields["attempt"] == "1", sent.line
    assert sent.fields["relay"] == "mx.routed.test", sent.line
    assert len(got) == 1 and got[0].message_id == mid and got[0].rcpt_tos == [rcpt]
    assert petrel.events("deferred", rcpt) == [], "failover should happen within the attempt"
    # The relay was tried first (and refused the connection), then the MX.
    lines = petrel.log_text().splitlines()
    tried = [i for i, l in enumerate(lines) if "connect failed" in l and dead in l]
    assert tried, "no connection attempt to the dead relay %s in the log\n%s" % (dead, petrel.log_tail(20))
    assert tried[0] < lines.index(sent.line), "the relay was not tried before the MX"
    wait_until(lambda: petrel.queue_list() == [], 10, "the queue to empty")
    assert len(mx.received()) == 1
