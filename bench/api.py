"""The Open311 API benchmark on one database.

Seeds N requests, starts `civic311 serve` (gunicorn) on a loopback port, and measures beside
baselines taken in the same run: a bare Django view on the same server (GET /healthz) and a raw
INSERT loop on the same database. Prints one table and the query plans of the main searches.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
BENCH_DB = os.environ.get("BENCH_DB", "civic311_bench")  # one per person on a shared server
# How each database's plan says an index serves the query.
INDEX_MARKS = ("Index Scan", "Index Only Scan", "USING INDEX", "USING COVERING INDEX", "USING INTEGER PRIMARY KEY")


def postgres_reachable(url: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(_conninfo(url), connect_timeout=3):
            return True
    except Exception:
        return False


def _conninfo(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def _bench_pg_url(admin_url: str) -> str:
    parts = urllib.parse.urlsplit(admin_url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


def _fresh_postgres(admin_url: str) -> str:
    import psycopg

    with psycopg.connect(_conninfo(admin_url), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return _bench_pg_url(admin_url)


# --- HTTP load ------------------------------------------------------------------------------------


class Server:
    def __init__(self, env: dict[str, str], workers: int):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        cmd = [sys.executable, "-m", "civic311", "serve", "--port", str(self.port), "--workers", str(workers)]
        self.proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.call("GET", "/healthz")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the server did not start")

    def call(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        conn.close()
        return response.status, data

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)


def latency(server: Server, path: str, samples: int) -> tuple[float, float]:
    """p50 and p95 in milliseconds of one client calling GET path in turn."""
    server.call("GET", path)  # warm up
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        status, _ = server.call("GET", path)
        times.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
    return percentiles(times)


def percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def time_calls(call: Callable[[], object], samples: int) -> tuple[float, float]:
    """p50 and p95 in ms of ``samples`` calls, after one warm-up call."""
    call()
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1000)
    return percentiles(times)


def setup_django(db: str, pg_url: str, prefix: str) -> None:
    """Settle this process on a fresh database (an empty SQLite file, or a new PostgreSQL database)
    and start Django on it: each benchmark child process measures from nothing."""
    env = {"CIVIC311_DATA_DIR": tempfile.mkdtemp(prefix=prefix), "CIVIC311_SECRET_KEY": "bench"}
    if db == "postgres":
        env["CIVIC311_DATABASE_URL"] = _fresh_postgres(pg_url)
    os.environ.update(env)
    Path(env["CIVIC311_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic311.settings")
    import django

    django.setup()


def print_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in [*rows, header]) for i in range(len(header))]
    line = " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    print(line)
    print("-" * len(line))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def throughput(
    server: Server, calls: list[tuple[str, str, bytes | None]], clients: int, ok: int
) -> tuple[float, float, float]:
    """Calls per second with `clients` threads, and p50/p95 latency in ms."""
    lock = threading.Lock()
    queue = list(reversed(calls))
    times: list[float] = []
    failures: list[str] = []

    def worker() -> None:
        while True:
            with lock:
                if not queue:
                    return
                method, path, body = queue.pop()
            start = time.perf_counter()
            status, data = server.call(method, path, body)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                times.append(elapsed)
                if status != ok:
                    failures.append(f"{status} {data[:200]!r}")

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    if failures:
        raise RuntimeError(f"{len(failures)} calls failed, e.g. {failures[0]}")
    p50, p95 = percentiles(times)
    return len(calls) / wall, p50, p95


# --- database work (in this process, through Django) ---------------------------------------------


def seed(n: int) -> tuple[float, str]:
    """Bulk-insert n requests over the last 365 days (plus their submitted events); returns (seconds, api key)."""
    from django.core.management import call_command
    from django.utils import timezone

    from civic311.catalog.models import ServiceType
    from civic311.geo.cells import cell_for
    from civic311.open311.models import ApiKey, Application
    from civic311.service_requests.models import EventKind, ServiceRequest, ServiceRequestEvent
    from civic311.service_requests.statuses import Status

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_sample", requests=0, stdout=quiet)
    _, key = ApiKey.issue(Application.objects.get_or_create(name="bench")[0])
    types = list(ServiceType.objects.all())
    rng = random.Random(311)
    now = timezone.now()
    statuses = [Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.CLOSED, Status.CLOSED, Status.CLOSED]
    start = time.perf_counter()
    batch = 5000
    for offset in range(0, n, batch):
        rows = []
        for _ in range(min(batch, n - offset)):
            st = rng.choice(types)
            lat, long = 42.37 + rng.gauss(0, 0.01), -71.1 + rng.gauss(0, 0.01)
            requested = now - timedelta(seconds=rng.randint(0, 365 * 86400))
            status = rng.choice(statuses)
            closed = requested + timedelta(hours=rng.randint(1, 200)) if status == Status.CLOSED else None
            rows.append(
                ServiceRequest(
                    service_type=st,
                    department_id=st.department_id,
                    status=status,
                    lat=lat,
                    long=long,
                    cell=cell_for(lat, long),
                    warning_sent_at=requested,  # history: no one is paged for it
                    breach_sent_at=requested,
                    address=f"{rng.randint(1, 400)} Main St",
                    requested_at=requested,
                    updated_at=closed or requested,
                    closed_at=closed,
                    expected_at=requested + st.target_duration if st.target_duration else None,
                    attributes={},
                    channel="phone",
                )
            )
        made = ServiceRequest.objects.bulk_create(rows)
        if made and made[0].pk is None:  # SQLite before RETURNING support: fetch the ids
            made = list(ServiceRequest.objects.order_by("-id")[: len(rows)])
        ServiceRequestEvent.objects.bulk_create(
            ServiceRequestEvent(
                request=r, at=r.requested_at, kind=EventKind.SUBMITTED, to_status=Status.NEW, actor_label="bench"
            )
            for r in made
        )
    _analyze()
    return time.perf_counter() - start, key


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def raw_insert_loop(count: int) -> float:
    """Rows per second of single-row INSERTs, each committed: the floor under any POST."""
    from django.db import connection, transaction
    from django.utils import timezone

    from civic311.catalog.models import ServiceType
    from civic311.service_requests.models import ServiceRequest

    st = ServiceType.objects.first()
    table = ServiceRequest._meta.db_table
    cols = ["service_type_id", "department_id", "status", "status_notes", "description", "lat", "long", "address",
            "address_id", "zipcode", "first_name", "last_name", "email", "phone", "phone_digits", "sms_updates",
            "device_id", "account_id", "language", "channel", "attributes", "media_url", "requested_at", "updated_at",
            "cell"]  # fmt: skip
    marks = ", ".join(["%s"] * len(cols))
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})"
    start = time.perf_counter()
    for i in range(count):
        now = timezone.now()
        values = [st.pk, st.department_id, "new", "", f"raw {i}", 42.37, -71.1, "1 Main St", "", "", "", "", "", "",
                  "", False, "", "", "en", "api", "{}", "", now, now, ""]  # fmt: skip
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, values)
    return count / (time.perf_counter() - start)


def plans() -> list[tuple[str, str]]:
    """The query plan of each main search, as the database reports it."""
    from django.utils import timezone

    from civic311.catalog.models import ServiceType
    from civic311.service_requests import queries
    from civic311.service_requests.models import ServiceRequest

    now = timezone.now()
    pothole = ServiceType.objects.get(service_code="POTHOLE").pk
    window = now - timedelta(days=90)
    cases = {
        "default (last 90 days)": queries.RequestFilter(requested_from=window),
        "service_code=POTHOLE": queries.RequestFilter(service_type_ids=[pothole], requested_from=window),
        "status=open": queries.RequestFilter(open311_statuses={"open"}, requested_from=window),
        "updated_after (last day)": queries.RequestFilter(updated_after=now - timedelta(days=1)),
    }
    result = [(name, queries.search(flt)[:1000].explain()) for name, flt in cases.items()]
    last = ServiceRequest.objects.order_by("-id").first()
    result.append(("one request (tracking number)", ServiceRequest.objects.filter(pk__in=[last.pk]).explain()))
    return result


def dashboard_rows(samples: int) -> list[tuple[str, str, str, str]]:
    """Staff pages timed in-process (Django's test client, logged in), beside a bare view the same way.

    The rollups are rebuilt from the seeded requests first (the seed bypasses the actions).
    """
    from django.contrib.auth.models import Group, User
    from django.test import Client
    from django.utils import timezone

    from civic311.insights import rollups
    from civic311.service_requests.roles import ensure_roles

    start = time.perf_counter()
    written = rollups.rebuild()
    rebuild = time.perf_counter() - start
    ensure_roles()
    boss, _ = User.objects.get_or_create(username="bench.supervisor")
    boss.groups.add(Group.objects.get(name="Supervisor"))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(boss)

    def get(path: str) -> None:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}")

    def timed(path: str) -> tuple[float, float]:
        return time_calls(lambda: get(path), samples)

    year_ago = (timezone.localdate() - timedelta(days=364)).isoformat()
    base, base_p95 = timed("/healthz")
    rows = [("rollups: full rebuild", f"{written:,} rows", "", f"{rebuild:.1f} s"),
            ("baseline: bare view, in-process", "", f"{base:.1f} / {base_p95:.1f}", "")]  # fmt: skip
    for label, path in [
        ("CitiStat dashboard, last 30 days", "/insights/"),
        ("CitiStat dashboard, a whole year by week", f"/insights/?start={year_ago}&period=week"),
        ("work queue, overdue first", "/work/?due=overdue"),
        ("drill-down list, last 30 days", "/insights/requests?measure=opened"),
    ]:
        p50, p95 = timed(path)
        rows.append((label, "", f"{p50:.1f} / {p95:.1f}", f"{p50 / base:.1f}x bare view"))
    return rows


def run(args: argparse.Namespace) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="civic311-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVIC311_")}
    env.update(CIVIC311_DATA_DIR=str(workdir), CIVIC311_SECRET_KEY="bench", CIVIC311_LOG_LEVEL="WARNING")
    # Every POST still spends from its key's hourly allowance (the real path); one the run never reaches.
    env["CIVIC311_API_KEY_CALLS_PER_HOUR"] = "100000000"
    if args.db == "postgres":
        env["CIVIC311_DATABASE_URL"] = _fresh_postgres(args.pg_url)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic311.settings")
    import django

    django.setup()
    from django.utils import timezone

    from civic311.service_requests.models import ServiceRequest

    print(f"\n== {args.db}: seeding {args.n:,} requests ...", flush=True)
    seconds, key = seed(args.n)
    rows = []
    rows.append(
        ("seed: bulk insert requests + events", f"{args.n / seconds:,.0f} rows/s", "", f"{seconds:.1f} s total")
    )
    raw_rate = raw_insert_loop(500)
    rows.append(("baseline: raw INSERT loop, 1 row/commit", f"{raw_rate:,.0f} rows/s", "", "same database"))

    server = Server(env, workers=2)
    try:
        health = [("GET", "/healthz", None)] * args.posts
        rate, p50, p95 = throughput(server, health, args.clients, 200)
        rows.append(
            (f"baseline: bare view, {args.clients} clients", f"{rate:,.0f} req/s", f"{p50:.1f} / {p95:.1f}", "")
        )
        rng = random.Random(7)
        codes = ["POTHOLE", "STREETLIGHT", "GRAFFITI", "ILLEGAL-DUMPING"]
        answers = {"POTHOLE": {"attribute[size]": "large"}, "STREETLIGHT": {"attribute[problem]": "out"},
                   "GRAFFITI": {"attribute[surface]": "public"}, "ILLEGAL-DUMPING": {}}  # fmt: skip
        posts = []
        for _ in range(args.posts):
            code = rng.choice(codes)
            form = {"api_key": key, "service_code": code, "lat": f"{42.37 + rng.gauss(0, 0.01):.6f}",
                    "long": f"{-71.1 + rng.gauss(0, 0.01):.6f}", "description": "bench", **answers[code]}  # fmt: skip
            posts.append(("POST", "/open311/v2/requests.json", urllib.parse.urlencode(form).encode()))
        rate, p50, p95 = throughput(server, posts, args.clients, 200)
        rows.append(
            (
                f"POST /requests, {args.clients} clients",
                f"{rate:,.0f} req/s",
                f"{p50:.1f} / {p95:.1f}",
                f"{rate / raw_rate:.0%} of raw inserts",
            )
        )

        now = timezone.now()
        start = urllib.parse.quote((now - timedelta(days=30)).isoformat(timespec="seconds"))
        end = urllib.parse.quote(now.isoformat(timespec="seconds"))
        after = urllib.parse.quote((now - timedelta(hours=1)).isoformat(timespec="seconds"))
        p50_health, _ = latency(server, "/healthz", args.samples)
        for label, path in [
            ("baseline: GET bare view", "/healthz"),
            ("GET /requests (default: 90 days, 1000)", "/open311/v2/requests.json"),
            ("GET /requests?service_code=POTHOLE", "/open311/v2/requests.json?service_code=POTHOLE"),
            ("GET /requests?status=open&page_size=100", "/open311/v2/requests.json?status=open&page_size=100"),
            ("GET /requests 30-day window, page_size=50",
             f"/open311/v2/requests.json?start_date={start}&end_date={end}&page_size=50"),
            ("GET /requests?updated_after=1h ago", f"/open311/v2/requests.json?updated_after={after}"),
            ("GET /requests extensions=true page_size=100", "/open311/v2/requests.json?extensions=true&page_size=100"),
        ]:  # fmt: skip
            p50, p95 = latency(server, path, args.samples)
            rows.append((label, "", f"{p50:.1f} / {p95:.1f}", f"{p50 / p50_health:.1f}x bare view"))
        # Public requests only: the sample city's private services answer 404 to GET, as they should.
        sample = ServiceRequest.objects.filter(service_type__is_private=False).order_by("?")[: args.samples]
        one = [sr.tracking_number for sr in sample]
        times = []
        for number in one:
            t0 = time.perf_counter()
            status, _ = server.call("GET", f"/open311/v2/requests/{number}.json")
            times.append((time.perf_counter() - t0) * 1000)
            assert status == 200
        p50, p95 = percentiles(times)
        rows.append(
            ("GET /requests/{id} (random ids)", "", f"{p50:.1f} / {p95:.1f}", f"{p50 / p50_health:.1f}x bare view")
        )
    finally:
        server.stop()

    rows.extend(dashboard_rows(args.samples))
    total = ServiceRequest.objects.count()
    print(
        f"\n{args.db}: {total:,} requests on file, {args.clients} clients, 2 gunicorn workers, {os.cpu_count()} cores"
    )
    print_table(("measure", "throughput", "p50 / p95 ms", "compared"), rows)
    print(f"\n{args.db}: query plans")
    for name, plan in plans():
        uses_index = any(mark in plan for mark in INDEX_MARKS)
        print(f"-- {name}: {'uses an index' if uses_index else 'NO INDEX'}")
        print("   " + plan.replace("\n", "\n   "))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--pg-url", default=PG_ADMIN_URL)
    run(parser.parse_args())


if __name__ == "__main__":
    main()
