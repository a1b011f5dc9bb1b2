"""Call statistics from contacts made through the actions, checked against hand counts."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from civic311.catalog.tests.factories import DepartmentFactory
from civic311.contacts import actions, stats
from civic311.knowledge.actions import save_text
from civic311.knowledge.models import Article
from civic311.service_requests.validators import SubmissionInput

pytestmark = pytest.mark.django_db
CITY = ZoneInfo(settings.TIME_ZONE)  # the city's zone, which the suite pins (conftest.py) whatever the machine says


@pytest.fixture
def day(django_user_model, pothole):
    """One Monday at the center: two CSRs, five contacts."""
    ana = django_user_model.objects.create_user("ana")
    ben = django_user_model.objects.create_user("ben")
    hours = Article.objects.create(slug="hours")
    save_text(hours, "en", title="City Hall hours", answer="8:30 to 4:30.")
    save_text(hours, "es", title="Horario del ayuntamiento", answer="De 8:30 a 4:30.")
    clerk = DepartmentFactory(name="City Clerk", slug="city-clerk")
    t0 = datetime(2026, 3, 2, 9, 0, tzinfo=CITY)

    def call(csr, minute, seconds, phone="", **done):
        contact = actions.start(csr, caller_phone=phone, at=t0 + timedelta(minutes=minute))
        if done.pop("article", False):
            actions.use_article(contact, hours, language="en")
        if done.pop("pothole", False):
            data = SubmissionInput(address_string="1 Main St", attributes={"size": ["small"]})
            actions.file_request(contact, pothole, data, csr=csr)
        if done.pop("transfer", False):
            actions.transfer(contact, clerk)
        return actions.wrap_up(contact, ended_at=contact.started_at + timedelta(seconds=seconds), **done)

    call(ana, 0, 60, phone="6175550001", article=True)  # repeated below: not resolved first time
    call(ana, 10, 120, article=True)
    call(ben, 70, 300, pothole=True)
    call(ben, 80, 240, transfer=True)
    call(ana, 24 * 60, 180, phone="617-555-0001", article=True)  # Tuesday, the first caller again
    return stats.DateRange(t0.date(), t0.date() + timedelta(days=1))


def test_summary_counts_the_split_handle_time_transfers_and_first_contact_resolution(day):
    s = stats.summary(day)
    assert (s["total"], s["information"], s["service"], s["transfers"]) == (5, 3, 1, 1)
    assert s["avg_handle"] == (60 + 120 + 300 + 240 + 180) // 5
    assert s["transfer_percent"] == 20.0
    # Resolved first time: the second article call, the pothole, Tuesday's call (3 of 5).
    assert s["fcr_percent"] == 60.0


def test_volume_by_hour_and_day_in_city_time(day):
    by_hour = stats.volume(day, "hour")
    assert [(r["period"].hour, r["total"], r["information"], r["service"], r["other"]) for r in by_hour] == [
        (9, 2, 2, 0, 0), (10, 2, 0, 1, 1), (9, 1, 1, 0, 0),
    ]  # fmt: skip
    assert [r["total"] for r in stats.volume(day, "day")] == [4, 1]
    assert [r["total"] for r in stats.volume(day, "week")] == [5]


def test_per_csr_figures(day):
    rows = {r["csr"]: r for r in stats.per_csr(day)}
    assert (rows["ana"]["contacts"], rows["ana"]["avg_handle"], rows["ana"]["fcr_percent"]) == (3, 120, 66.7)
    assert (rows["ben"]["contacts"], rows["ben"]["transfer_percent"], rows["ben"]["fcr_percent"]) == (2, 50.0, 50.0)


def test_top_articles_and_service_types(day):
    assert stats.top_articles(day) == [{"slug": "hours", "title": "City Hall hours", "uses": 3}]
    assert stats.top_articles(day, language="es")[0]["title"] == "Horario del ayuntamiento"
    assert stats.top_service_types(day) == [{"code": "POTHOLE", "name": "Pothole", "filed": 1}]


def test_a_range_with_no_contacts_has_no_rates(db):
    span = stats.DateRange(datetime(2020, 1, 1).date(), datetime(2020, 1, 7).date())
    s = stats.summary(span)
    assert (s["total"], s["transfer_percent"], s["fcr_percent"], s["avg_handle"]) == (0, None, None, None)


@pytest.mark.parametrize(("seconds", "shown"), [(None, "—"), (42, "42 s"), (209, "3 min 29 s"), (600.4, "10 min 00 s")])
def test_handle_times_read_as_minutes_and_seconds(seconds, shown):
    from civic311.contacts.templatetags.contact_tags import handle_time

    assert handle_time(seconds) == shown


def test_the_hourly_counters_kept_by_the_actions_equal_a_full_recount(django_user_model, pothole):
    import random

    from django.utils import timezone

    from civic311.contacts import rollups
    from civic311.contacts.models import ContactArticleDay, ContactHourStat, ContactServiceDay

    rng = random.Random(11)
    csrs = [django_user_model.objects.create_user(f"csr{n}") for n in range(3)]
    clerk = DepartmentFactory(name="City Clerk", slug="city-clerk")
    articles = [Article.objects.create(slug=f"a{n}") for n in range(4)]
    now = timezone.now()
    open_contacts = []
    for n in range(80):  # twelve callers, so some call again within 72 hours
        at = now - timedelta(hours=200 - 2 * n, minutes=rng.randint(0, 59))
        csr = rng.choice(csrs)
        contact = actions.start(csr, caller_phone=f"61755500{rng.randint(10, 21)}", at=at)
        for article in rng.sample(articles, k=rng.randint(0, 2)):
            actions.use_article(contact, article, language="en")
            actions.use_article(contact, article, language="en")  # read twice on one call: one use
        if rng.random() < 0.3:
            data = SubmissionInput(address_string="1 Main St", attributes={"size": ["small"]})
            actions.file_request(contact, pothole, data, csr=csr)
        if rng.random() < 0.2:
            actions.transfer(contact, clerk)
        if rng.random() < 0.85:
            actions.wrap_up(contact, ended_at=at + timedelta(seconds=rng.randint(30, 900)))
        else:
            open_contacts.append(contact)

    def snapshot():
        hours = sorted(
            row for row in ContactHourStat.objects.values_list(
                "hour", "csr_label", "kind", "contacts", "ended", "handle_sum", "transfers", "resolved_first")
            if any(row[3:])
        )  # fmt: skip
        articles = sorted(ContactArticleDay.objects.values_list("day", "article_id", "uses"))
        services = sorted(ContactServiceDay.objects.values_list("day", "service_type_id", "filed"))
        return hours, articles, services

    kept = snapshot()
    assert all(kept) and open_contacts
    rollups.rebuild()
    assert snapshot() == kept
