"""Call statistics at New York's volume: 100,000 contacts a day, ten days on file (a million contacts).

Beside them, in the same run, a primary-key lookup of one contact as the baseline. Contacts are
bulk-inserted (the actions' own cost is in the test suite, not here): this measures the reads a
supervisor's page makes over a day and over a week.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, datetime, timedelta

from bench.api import PG_ADMIN_URL, print_table, setup_django, time_calls

KINDS = ["information"] * 6 + ["service_request"] * 3 + ["transfer", "complaint"]
BATCH = 20_000


def seed(count: int, days: int, today: date) -> None:
    from django.contrib.auth.models import User
    from django.utils import timezone

    from civic311.catalog.models import Department, ServiceType
    from civic311.contacts.models import Contact, ContactRequest
    from civic311.knowledge.models import Article
    from civic311.service_requests.models import ServiceRequest

    rng = random.Random(7)
    csrs = User.objects.bulk_create([User(username=f"csr{n}") for n in range(60)])
    department = Department.objects.create(name="Public Works", slug="public-works")
    types = ServiceType.objects.bulk_create(
        [ServiceType(service_code=f"T{n}", name=f"Service {n}", department=department) for n in range(30)]
    )
    articles = Article.objects.bulk_create([Article(slug=f"article-{n}") for n in range(300)])
    now = timezone.now()
    requests = ServiceRequest.objects.bulk_create(
        [ServiceRequest(service_type=rng.choice(types), department=department, requested_at=now) for _ in range(2000)]
    )
    tz = timezone.get_default_timezone()
    start_day = datetime.combine(today - timedelta(days=days - 1), datetime.min.time(), tzinfo=tz)
    made = 0
    while made < count:
        batch = []
        for _ in range(min(BATCH, count - made)):
            started = start_day + timedelta(seconds=rng.randrange(days * 86400))
            handle = int(rng.lognormvariate(5.2, 0.5))
            kind = rng.choice(KINDS)
            batch.append(Contact(
                csr=rng.choice(csrs), started_at=started, ended_at=started + timedelta(seconds=handle),
                handle_seconds=handle, kind=kind, outcome="answered", caller_digits=f"617555{rng.randrange(10**4):04d}",
                transferred_to=department if kind == "transfer" else None, repeated=rng.random() < 0.12,
            ))  # fmt: skip
        Contact.objects.bulk_create(batch, batch_size=5000)
        links = Contact.articles.through
        links.objects.bulk_create(
            [links(contact_id=c.pk, article_id=rng.choice(articles).pk) for c in batch if c.kind == "information"],
            batch_size=5000,
        )
        ContactRequest.objects.bulk_create(
            [ContactRequest(contact=c, request=rng.choice(requests), role="created", at=c.started_at)
             for c in batch if c.kind == "service_request"],
            batch_size=5000,
        )  # fmt: skip
        made += len(batch)


def run(args: argparse.Namespace) -> None:
    setup_django(args.db, args.pg_url, "civic311-console-bench-")
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from civic311.contacts import rollups, stats
    from civic311.contacts.models import Contact

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # pages link their hashed assets
    today = timezone.localdate()
    print(f"\n== {args.db}: seeding {args.contacts:,} contacts over {args.days} days ...", flush=True)
    t0 = time.perf_counter()
    seed(args.contacts, args.days, today)
    seeded = time.perf_counter() - t0
    t0 = time.perf_counter()
    hours = rollups.rebuild()  # what the actions keep current, built at once for bulk-loaded rows
    rebuilt = time.perf_counter() - t0
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    boss = User.objects.create_user("boss", password="bench-password")
    boss.groups.add(Group.objects.get(name="Supervisor"))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(boss)
    ids = list(Contact.objects.values_list("pk", flat=True)[:1000])
    rng = random.Random(3)
    day = stats.DateRange(today, today)
    week = stats.DateRange(today - timedelta(days=6), today)

    def timed(call) -> tuple[float, float]:  # type: ignore[no-untyped-def]
        return time_calls(call, args.samples)

    def page(**params: object) -> None:
        response = client.get("/console/stats/", params)
        if response.status_code != 200:
            raise RuntimeError(f"/console/stats/ answered {response.status_code}")

    base = timed(lambda: Contact.objects.get(pk=rng.choice(ids)))
    rows = [(f"seed {args.contacts:,} contacts (bulk)", f"{seeded:.1f} s", ""),
            (f"rebuild hourly counters ({hours:,} rows)", f"{rebuilt:.1f} s", ""),
            ("baseline: contact by id", f"{base[0]:.2f} / {base[1]:.2f}", "")]  # fmt: skip
    measures = [
        ("summary, one day", lambda: stats.summary(day)),
        ("summary, one week", lambda: stats.summary(week)),
        ("volume by hour, one day", lambda: stats.volume(day, "hour")),
        ("volume by day, one week", lambda: stats.volume(week, "day")),
        ("per CSR, one week", lambda: stats.per_csr(week)),
        ("top articles, one week", lambda: stats.top_articles(week)),
        ("top service types, one week", lambda: stats.top_service_types(week)),
        ("page /console/stats/, one day", lambda: page(start=today, end=today)),
        ("page /console/stats/, one week", lambda: page()),
    ]
    for name, call in measures:
        p50, p95 = timed(call)
        rows.append((name, f"{p50:.1f} / {p95:.1f}", f"{p50 / base[0]:.0f}x baseline"))
    print(f"\n{args.db}: {args.contacts:,} contacts over {args.days} days, {args.samples} calls each")
    print_table(("measure", "p50 / p95 ms", "compared"), rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--pg-url", default=PG_ADMIN_URL)
    run(parser.parse_args())


if __name__ == "__main__":
    main()
