"""civic311 serve as a city runs it: a real gunicorn and task worker, in their own processes."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from civic311.ops.tests.server import free_port, wait_for

pytestmark = pytest.mark.slow


def test_serve_answers_open311_and_runs_background_tasks(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVIC311_")}
    env.update(CIVIC311_DATA_DIR=str(tmp_path / "data"), CIVIC311_SECRET_KEY="serve-test-key")
    cli = [sys.executable, "-m", "civic311"]
    subprocess.run([*cli, "migrate", "-v0"], env=env, check=True, timeout=120)
    loaded = subprocess.run(
        [*cli, "load-sample", "--requests", "5"], env=env, check=True, timeout=120, capture_output=True, text=True
    )
    key = loaded.stdout.split("(shown once): ")[1].strip()
    port = free_port()
    serve = [*cli, "serve", "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(serve, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/healthz")
        body = urllib.parse.urlencode(
            {"api_key": key, "service_code": "POTHOLE", "lat": "42.37", "long": "-71.1", "attribute[size]": "large"}
        ).encode()
        with urllib.request.urlopen(f"{base}/open311/v2/requests.json", data=body, timeout=10) as response:
            [answer] = json.load(response)
        number = answer["service_request_id"]
        with urllib.request.urlopen(f"{base}/open311/v2/requests/{number}.json", timeout=10) as response:
            assert json.load(response)[0]["service_code"] == "POTHOLE"
        with urllib.request.urlopen(f"{base}/admin/login/", timeout=10) as response:
            assert response.status == 200  # static files and templates are in place

        heartbeat = tmp_path / "heartbeat.txt"
        enqueue = (
            "from civic311.ops.tasks import write_heartbeat; "
            f"write_heartbeat.enqueue({str(heartbeat)!r}, 'worker alive')"
        )
        subprocess.run([*cli, "shell", "-c", enqueue], env=env, check=True, timeout=60)
        deadline = time.monotonic() + 30
        while not heartbeat.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert heartbeat.read_text() == "worker alive"

        # A crash (every server process killed at once) loses nothing that was acknowledged.
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
        server = subprocess.Popen(serve, env=env, start_new_session=True)
        wait_for(f"{base}/healthz")
        with urllib.request.urlopen(f"{base}/open311/v2/requests/{number}.json", timeout=10) as response:
            assert json.load(response)[0]["service_request_id"] == number
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=30)
    assert code == 0
