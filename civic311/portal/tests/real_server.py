"""A real ``civic311 serve`` (gunicorn, several worker processes) on the test suite's database.

On PostgreSQL the server shares the test database (the test must use ``transactional_db`` so what
it writes is committed and then flushed); on SQLite, whose test database lives in memory, the
server gets a migrated file database of its own in the test's folder.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

CLI = [sys.executable, "-m", "civic311"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(folder: Path, **settings: str) -> dict[str, str]:
    """The environment of a server process on this test run's database, with ``CIVIC311_*`` settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVIC311_")}
    env.update(CIVIC311_DATA_DIR=str(folder / "data"), CIVIC311_SECRET_KEY="real-server-test-key")
    env.update({f"CIVIC311_{name}": value for name, value in settings.items()})
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user = urllib.parse.quote(db["USER"] or "")
        password = f":{urllib.parse.quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
        host, port = db["HOST"] or "127.0.0.1", db["PORT"] or "5432"
        env["CIVIC311_DATABASE_URL"] = f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"
    else:
        subprocess.run([*CLI, "migrate", "-v0"], env=env, check=True, timeout=180)
    return env


def shell(env: dict[str, str], code: str) -> str:
    """Run Python in a ``civic311 shell`` on the server's database; what it prints."""
    done = subprocess.run(
        [*CLI, "shell", "-v0", "-c", code], env=env, check=True, timeout=120, capture_output=True, text=True
    )
    return done.stdout.strip()


@contextmanager
def serving(env: dict[str, str], workers: int = 4) -> Iterator[int]:
    """A running server; yields its port."""
    port = free_port()
    command = [*CLI, "serve", "--port", str(port), "--workers", str(workers), "--no-task-worker"]
    server = subprocess.Popen(command, env=env, start_new_session=True, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise AssertionError("civic311 serve did not start")
            time.sleep(0.2)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


def post(port: int, path: str, fields: dict[str, str], headers: dict[str, str]) -> int:
    """POST a form without following its redirect; the status."""
    body = urllib.parse.urlencode(fields)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded", **headers})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def csrf(port: int, path: str) -> tuple[str, str]:
    """(cookie header, form token) of a page's form."""
    status, headers, page = get(port, path)
    assert status == 200, page
    cookie = next(v for k, v in headers.items() if k.lower() == "set-cookie").split(";")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    return cookie, token.group(1)
