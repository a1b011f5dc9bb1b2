"""What a city's server must survive, tried against a real ``civic311 serve``: several workers and
no configured secret, many writers on a SQLite URL, slow clients."""

import http.cookiejar
import json
import re
import sqlite3
import stat
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
