"""The test suite's own guarantees: no network beyond this machine, and no silently skipped tests in CI.

(One clock and one zone are proven by running the whole suite at hostile moments: `make test-clock`, and once
in CI.)
"""

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_socket import SocketBlockedError, SocketConnectBlockedError

from civic311.browser import refuse_the_network

PROJECT = Path(__file__).resolve().parents[3]


@pytest.mark.filterwarnings("ignore:A test tried")  # pytest-socket warns as it refuses
def test_sockets_connect_to_loopback_and_nowhere_else():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
        with socket.create_connection(("localhost", port), timeout=5):
            pass
        # 0.0.0.0 would reach this machine too, but it is not loopback by name: the guard refuses any
        # address outside 127.0.0.0/8 and ::1 before a packet is sent.
        with pytest.raises(SocketConnectBlockedError, match=re.escape('host "0.0.0.0"')):
            socket.create_connection(("0.0.0.0", port), timeout=5)  # noqa: S104 (a connection, not a bind)


@pytest.mark.filterwarnings("ignore:A test tried")
def test_a_name_lookup_beyond_this_machine_is_refused():
    with pytest.raises(SocketBlockedError, match=r"'example\.invalid'"):
        socket.getaddrinfo("example.invalid", 443)
    assert socket.getaddrinfo("localhost", 80)
    assert socket.getaddrinfo("127.0.0.1", 80)


def test_a_page_asking_for_anything_off_this_machine_is_refused_and_named(browser):
    context = browser.new_context()
    outside = refuse_the_network(context)
    page = context.new_page()
    page.set_content(
        '<img src="https://tiles.example.invalid/0/0/0.png"><script src="http://192.0.2.1/lib.js"></script>'
        '<img src="http://127.0.0.1:9/local.png">'
    )
    context.close()
    assert sorted(outside) == ["http://192.0.2.1/lib.js", "https://tiles.example.invalid/0/0/0.png"]


def run_pytest(test: str, **env: str) -> subprocess.CompletedProcess:
    # SQLite in memory (no CIVIC311_DATABASE_URL): the child must not create or drop this run's test database.
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CIVIC311_", "PYTEST_"))}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test],
        cwd=PROJECT, env={**base, **env}, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


@pytest.mark.slow
def test_tests_on_shared_data_skip_where_it_is_absent_and_fail_where_ci_requires_it(tmp_path):
    test = "civic311/catalog/tests/test_open311_reader.py::test_a_bom_is_skipped"
    absent = str(tmp_path / "no-shared-data")
    skipped = run_pytest(test, CIVIC311_SHARED_DATA=absent)
    assert skipped.returncode == 0 and "1 skipped" in skipped.stdout, skipped.stdout
    required = run_pytest(test, CIVIC311_SHARED_DATA=absent, CIVIC311_REQUIRE_SHARED_DATA="1")
    assert required.returncode == 1 and "1 error" in required.stdout, required.stdout
    assert "no-shared-data/open311 is absent; set CIVIC311_SHARED_DATA" in required.stdout
