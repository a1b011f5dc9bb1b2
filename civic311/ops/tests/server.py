"""A real ``civic311 serve`` in its own data folder, for tests that need the whole stack."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CLI = [sys.executable, "-m", "civic311"]

# A catalog service, a superuser and an API key, made in the server's own database.
SETUP = """
from django.contrib.auth import get_user_model
from civic311.catalog.tests.factories import ServiceTypeFactory
from civic311.open311.models import ApiKey, Application
ServiceTypeFactory(service_code="POTHOLE", name="Pothole")
get_user_model().objects.create_superuser("ada", "ada@example.org", "pw-ada-lovelace")
print(ApiKey.issue(Application.objects.create(name="Test client", channel="mobile"))[1])
"""
USERNAME, PASSWORD = "ada", "pw-ada-lovelace"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def environment(data_dir: Path, **variables: str) -> dict[str, str]:
    """This process's environment without any CIVIC311_* of the test run (nor the async-safety switch
    the browser tests set, which `check --deploy` rightly refuses), plus ``variables``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVIC311_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(CIVIC311_DATA_DIR=str(data_dir), **variables)
    return env


def prepare(env: dict[str, str]) -> str:
    """Migrate, add a service and a superuser; returns an API key."""
    subprocess.run([*CLI, "migrate", "-v0"], env=env, check=True, timeout=180)
    made = subprocess.run(
        [*CLI, "shell", "-c", SETUP], env=env, check=True, timeout=120, capture_output=True, text=True
    )
    return made.stdout.strip().splitlines()[-1]


@contextmanager
def serving(env: dict[str, str], *options: str) -> Iterator[str]:
    """``civic311 serve`` on a free loopback port; yields its base URL and stops it afterwards."""
    port = free_port()
    server = subprocess.Popen([*CLI, "serve", "--port", str(port), *options], env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/healthz")
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
