"""Helpers the benchmark scripts share: a free loopback port, a call to Petrel's HTTP API, and a `petrel serve`
set up, started and stopped the same way for each."""
import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(port, key, method, path, body=None):
    """(status, parsed JSON) of one request to /api/v1 on 127.0.0.1:port with the API key."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request("http://127.0.0.1:%d/api/v1%s" % (port, path), data=data, method=method,
                                 headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def bench_config(data, http_port) -> str:
    """petrel.toml for a benchmark: fsync on, delivery on with a resolver that never answers, the HTTP API on
    http_port, a relay listener on a free port."""
    return ('[server]\ndata_directory = "%s"\nhostname = "bench.test"\n[spool]\nfsync = true\n'
            '[delivery]\nenabled = true\nresolver = "127.0.0.1:9"\n'
            '[http]\nlisten = "127.0.0.1:%d"\nmachine_window = "0s"\n'
            '[[listener]]\nname = "relay"\naddress = "127.0.0.1:%d"\nmode = "relay"\n'
            % (data, http_port, free_port()))


def wait_up(port, path):
    """Waits until the HTTP API answers (any status: the server is up and its database migrated)."""
    for _ in range(300):
        try:
            api(port, "none", "GET", path)
            return
        except OSError:
            time.sleep(0.1)


def api_key(petrel, config) -> str:
    return subprocess.run([petrel, "api-key", "create", "--config", str(config), "--name", "bench"],
                          capture_output=True, text=True, check=True).stdout.strip()


def stop(server, work, keep):
    """Stops the server; removes the work directory unless keep."""
    server.terminate()
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print("kept", work)
