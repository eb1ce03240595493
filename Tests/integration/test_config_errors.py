"""Bad configuration stops start-up with a message naming the problem."""
import socket
import subprocess

from petrel_harness import PETREL_BIN, PetrelServer


def serve(cfg_path, timeout=15):
    return subprocess.run([PETREL_BIN, "serve", "--config", str(cfg_path)], capture_output=True, text=True,
                          timeout=timeout)


def base(tmp_path) -> PetrelServer:
    return PetrelServer(tmp_path / "srv", users=[])


def test_unknown_key(tmp_path):
    srv = base(tmp_path)
    srv.server["bogus_key"] = 1
    srv.write_config()
    r = serve(srv.config_path)
    assert r.returncode != 0
    assert "bogus_key" in r.stderr + r.stdout, r.stderr


def test_unknown_key_in_listener(tmp_path):
    srv = base(tmp_path)
    srv.listeners[0]["colour"] = "blue"
    srv.write_config()
    r = serve(srv.config_path)
    assert r.returncode != 0
    assert "colour" in r.stderr + r.stdout, r.stderr


def test_wrong_type(tmp_path):
    srv = base(tmp_path)
    srv.limits["max_recipients"] = "many"
    srv.write_config()
    r = serve(srv.config_path)
    assert r.returncode != 0
    assert "max_recipients" in r.stderr + r.stdout, r.stderr


def test_bad_listener_mode(tmp_path):
    srv = base(tmp_path)
    srv.listeners[0]["mode"] = "openrelay"
    srv.write_config()
    r = serve(srv.config_path)
    assert r.returncode != 0
    assert "mode" in r.stderr + r.stdout, r.stderr


def test_bad_network(tmp_path):
    srv = base(tmp_path)
    srv.relay["trusted_networks"] = ["127.0.0.0/33"]
    srv.write_config()
    r = serve(srv.config_path)
    assert r.returncode != 0
    assert "trusted_networks" in r.stderr + r.stdout, r.stderr


def test_toml_syntax_error(tmp_path):
    p = tmp_path / "broken.toml"
    p.write_text("[server\nhostname = \n")
    r = serve(p)
    assert r.returncode != 0
    assert r.stderr.strip(), "no error message"


def test_missing_file(tmp_path):
    r = serve(tmp_path / "does-not-exist.toml")
    assert r.returncode != 0
    assert r.stderr.strip()


def test_queue_cli_rejects_bad_config(tmp_path):
    srv = base(tmp_path)
    srv.server["bogus_key"] = 1
    srv.write_config()
    r = subprocess.run([PETREL_BIN, "queue", "list", "--config", str(srv.config_path)], capture_output=True,
                       text=True, timeout=30)
    assert r.returncode != 0
    assert "bogus_key" in r.stderr + r.stdout


def test_port_in_use(tmp_path):
    srv = base(tmp_path)
    host, port = srv.addr("relay")
    with socket.socket() as blocker:
        blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        blocker.bind((host, port))
        blocker.listen(1)
        r = serve(srv.config_path)
    assert r.returncode != 0, "serve started although %s:%d is taken" % (host, port)
    assert str(port) in r.stderr + r.stdout, r.stderr
