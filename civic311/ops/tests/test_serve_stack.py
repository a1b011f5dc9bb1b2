"""What a city's server must survive, tried against a real ``civic311 serve``: several workers and
no configured secret, many writers on a SQLite URL, slow clients."""

import http.cookiejar
import json
import re
import socket
import sqlite3
import stat
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from civic311.ops.tests.server import PASSWORD, USERNAME, environment, prepare, serving

pytestmark = pytest.mark.slow


def log_in(base):
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with browser.open(f"{base}/accounts/login/", timeout=10) as response:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode())[1]
    form = {"csrfmiddlewaretoken": token, "username": USERNAME, "password": PASSWORD, "next": "/work/"}
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=urllib.parse.urlencode(form).encode(), headers={"Referer": base}
    )
    with browser.open(request, timeout=10) as response:
        assert urllib.parse.urlsplit(response.url).path == "/work/"
    return browser


def test_a_login_holds_on_every_worker_when_no_secret_key_is_configured(tmp_path):
    env = environment(tmp_path / "data")  # no CIVIC311_SECRET_KEY: the `make demo` path
    prepare(env)
    with serving(env, "--workers", "2") as base:
        browser = log_in(base)
        landed = []
        for _ in range(30):  # connections are not kept, so the two workers share these requests
            with browser.open(f"{base}/work/", timeout=10) as response:
                landed.append(urllib.parse.urlsplit(response.url).path)
        assert landed == ["/work/"] * 30  # never sent back to the login page
    key_file = tmp_path / "data" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text().strip()) >= 50


def test_concurrent_posts_to_a_sqlite_url_are_all_filed(tmp_path):
    database = tmp_path / "city.sqlite3"
    env = environment(tmp_path / "data", CIVIC311_DATABASE_URL=f"sqlite:///{database}", CIVIC311_SECRET_KEY="k" * 50)
    key = prepare(env)

    def post(n):
        body = urllib.parse.urlencode(
            {"api_key": key, "service_code": "POTHOLE", "lat": "42.37", "long": "-71.1", "description": f"hole {n}"}
        ).encode()
        try:
            with urllib.request.urlopen(f"{base}/open311/v2/requests.json", data=body, timeout=60) as response:
                return response.status, json.load(response)[0]["service_request_id"]
        except urllib.error.HTTPError as error:
            return error.code, error.read()[:200]

    with serving(env, "--workers", "2") as base, ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(post, range(32)))
    refused = [answer for answer in answers if answer[0] != 200]
    assert refused == []
    assert len({number for _, number in answers}) == 32
    with sqlite3.connect(database) as db:  # the write-ahead log, as for the default database
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _trickle(sock, data, stop, pause=0.25):
    """Send ``data`` a byte at a time, as a phone on a bad network (or an attacker) would."""
    for byte in data:
        if stop.is_set():
            return
        try:
            sock.sendall(bytes([byte]))
        except OSError:
            return
        time.sleep(pause)


def test_healthz_keeps_answering_while_slow_clients_trickle_requests(tmp_path):
    env = environment(tmp_path / "data", CIVIC311_SECRET_KEY="k" * 50)
    prepare(env)
    with serving(env, "--workers", "2") as base:
        port = int(base.rsplit(":", 1)[1])
        body = b"service_code=POTHOLE&lat=42.37&long=-71.1&description=" + b"x" * 200
        slow_requests = [
            # Two send their headers slowly, two their body: four clients for two worker processes.
            b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\n" + b"X-Pad: " + b"y" * 200 + b"\r\n\r\n",
            b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\n" + b"X-Pad: " + b"y" * 200 + b"\r\n\r\n",
            b"POST /open311/v2/requests.json HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n" % len(body),
            b"POST /open311/v2/requests.json HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n" % len(body),
        ]
        stop = threading.Event()
        sockets, trickles = [], []
        try:
            for n, request in enumerate(slow_requests):
                sock = socket.create_connection(("127.0.0.1", port))
                sockets.append(sock)
                if n >= 2:  # the body-senders' headers arrive at once; their body trickles
                    sock.sendall(request)
                    request = body
                trickle = threading.Thread(target=_trickle, args=(sock, request, stop), daemon=True)
                trickle.start()
                trickles.append(trickle)
            time.sleep(2)  # every slow client is now inside the server
            answers = []
            for _ in range(10):
                started = time.monotonic()
                with urllib.request.urlopen(f"{base}/healthz", timeout=10) as response:
                    answers.append((response.status, response.read()))
                assert time.monotonic() - started < 5
            assert answers == [(200, b"ok")] * 10
            assert all(trickle.is_alive() for trickle in trickles)  # still trickling all along
        finally:
            stop.set()
            for sock in sockets:
                sock.close()
