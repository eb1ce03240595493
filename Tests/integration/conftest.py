"""Fixtures for the integration suite: a real `petrel serve` on free loopback
ports with a temporary data directory, stopped (SIGTERM, then SIGKILL) after
the test. The binary is .build/debug/petrel or $PETREL_BIN."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from petrel_harness import PETREL_BIN, PetrelServer  # noqa: E402


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


def _failed(node) -> bool:
    return any(getattr(node, "rep_" + w, None) is not None and getattr(node, "rep_" + w).failed
               for w in ("setup", "call"))


@pytest.fixture
def petrel_factory(tmp_path, request):
    """petrel_factory(**PetrelServer kwargs, start=True) -> PetrelServer.
    Every server made is stopped at teardown; its log is printed on failure."""
    made: list[PetrelServer] = []

    def make(start: bool = True, **kwargs) -> PetrelServer:
        srv = PetrelServer(tmp_path / ("petrel%d" % len(made)), **kwargs)
        made.append(srv)
        if start:
            srv.start()
        return srv

    yield make
    for srv in made:
        srv.stop()
    if _failed(request.node):
        for srv in made:
            sys.stderr.write("\n" + srv.log_tail(80) + "\n")


@pytest.fixture
def petrel(petrel_factory) -> PetrelServer:
    """A server on the default test configuration: listeners relay,
    submission (AUTH only after STARTTLS) and submission_plain (AUTH allowed
    in plaintext), user alice, local domain bounce.example.org."""
    return petrel_factory()


def pytest_report_header(config):
    return "petrel binary: %s" % PETREL_BIN
