import math
import random
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from civic311.catalog.tests.factories import ServiceTypeFactory
from civic311.geo.cells import cell_for
from civic311.insights import figures, rollups
from civic311.insights.hotspots import find_hotspots, poisson_sf, refresh_hotspots, rising_service_types
from civic311.insights.models import BUCKET_FIELDS, DailyStat, Hotspot
from civic311.service_requests import actions
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.tests.factories import file_request

pytestmark = pytest.mark.django_db
CREW = actions.Actor("crew")


def snapshot():
    """The rollups' content; rows that a close and a reopen brought back to zero count as absent."""
    return sorted(
        row
        for row in DailyStat.objects.values_list(
            "day", "service_type_id", "department_id", "opened", "still_open", "closed", "closed_with_standard",
            "closed_on_time", "closed_quickly", *BUCKET_FIELDS,
        )
        if any(row[3:])
    )  # fmt: skip


def test_rollups_kept_by_every_action_equal_a_full_recount(pothole, bulk_item):
    rng = random.Random(5)
    now = timezone.now()
    made = []
    for _ in range(60):
        st = rng.choice([pothole, bulk_item])
        answers = {"items": ["sofa"]} if st == bulk_item else {}
        made.append(file_request(st, attributes=answers, requested_at=now - timedelta(hours=rng.randint(1, 900))))
    for sr in made:
        sr.refresh_from_db()
        roll = rng.random()
        at = min(now, sr.requested_at + timedelta(minutes=rng.choice([5, 120, 3000, 9000])))
        if roll < 0.5:
            actions.close(sr, actor=CREW, note="Done", at=at)
            if rng.random() < 0.3:
                actions.reopen(sr, actor=CREW, note="Not fixed", at=at + timedelta(minutes=1))
        elif roll < 0.6:
            parents = [p for p in made if p.pk != sr.pk and p.service_type_id == sr.service_type_id]
            parent = ServiceRequest.objects.get(pk=rng.choice(parents).pk)
            if not parent.is_closed and parent.parent_id is None:
                actions.merge_duplicate(sr, parent, actor=CREW, at=at)
    incremental = snapshot()
    assert incremental, "no rollups were written"
    rollups.rebuild()
    assert snapshot() == incremental


def test_summary_figures_come_from_the_rollups(pothole):
    now = timezone.now()
    on_time = file_request(pothole, requested_at=now - timedelta(hours=30))
    late = file_request(pothole, requested_at=now - timedelta(hours=80))
    quick = file_request(pothole, requested_at=now - timedelta(hours=20))
    file_request(pothole, requested_at=now - timedelta(hours=5))  # still open
    actions.close(on_time, actor=CREW, note="Done", at=on_time.requested_at + timedelta(hours=10))
    actions.close(late, actor=CREW, note="Done", at=late.requested_at + timedelta(hours=60))
    actions.close(quick, actor=CREW, note="Done", at=quick.requested_at + timedelta(minutes=3))
    scope = figures.Scope(start=timezone.localdate() - timedelta(days=5), end=timezone.localdate())
    result = figures.summary(scope)
    assert (result["opened"], result["closed"], result["quick"]) == (4, 3, 1)
    assert result["on_time_percent"] == pytest.approx(66.7)
    assert result["median_hours"] == 12  # the 8-12 hour bucket holds the middle close
    assert result["p90_hours"] == 72
    [row] = figures.by_service_type(scope)
    assert (row["service_type"], row["opened"], row["on_time_percent"]) == (pothole, 4, pytest.approx(66.7))
    assert figures.by_department(scope)[0]["department__name"] == "Public Works"
    assert sum(r["opened"] for r in figures.trend(scope)) == 4
    assert sum(r["opened"] for r in figures.trend(scope, "week")) == 4
    bands = {b["label"]: b["open"] for b in figures.backlog_by_age()}
    assert bands["0-2 days"] == 1 and sum(bands.values()) == 1


def test_the_poisson_tail_is_exact():
    assert poisson_sf(0, 3.0) == 1.0
    assert poisson_sf(1, 1.0) == pytest.approx(1 - math.exp(-1))
    assert poisson_sf(5, 1.0) == pytest.approx(0.0036598, rel=1e-4)
    assert poisson_sf(300, 200.0) < 1e-10


def _scatter(st, rng, count, start, end, lat_range=(42.33, 42.40), long_range=(-71.13, -71.03), center=None):
    rows = []
    for _ in range(count):
        if center:
            lat, long = center[0] + rng.gauss(0, 0.0007), center[1] + rng.gauss(0, 0.0007)
        else:
            lat, long = rng.uniform(*lat_range), rng.uniform(*long_range)
        at = start + (end - start) * rng.random()
        rows.append(ServiceRequest(service_type=st, department_id=st.department_id, lat=lat, long=long,
                                   cell=cell_for(lat, long), requested_at=at, updated_at=at))  # fmt: skip
    ServiceRequest.objects.bulk_create(rows)


def test_a_planted_cluster_is_found_and_uniform_noise_is_not(pothole):
    rng = random.Random(311)
    now = timezone.now()
    history_start = now - timedelta(days=63)
    other = ServiceTypeFactory(service_code="GRAFFITI")
    # Nine weeks of uniform noise for two services across the city.
    for st in (pothole, other):
        _scatter(st, rng, 2700, history_start, now)
    assert find_hotspots(now) == []  # noise alone flags nothing
    # Then 25 potholes in one spot in the last week.
    spot = (42.3736, -71.1097)
    _scatter(pothole, rng, 25, now - timedelta(days=7), now, center=spot)
    found = find_hotspots(now)
    assert [(f.service_type_id, f.key) for f in found] == [(pothole.pk, cell_for(*spot))]
    assert found[0].recent >= 25 and found[0].expected < 5
    assert refresh_hotspots(now) == 1
    assert Hotspot.objects.get().cell == cell_for(*spot)


def test_a_service_type_whose_volume_jumps_is_rising(pothole, bulk_item):
    today = timezone.now()
    for days_ago in range(63):
        # At the first minute of each city day, so each lands in its own day whatever the time now (an hour
        # before now is yesterday just after midnight, and would move a day out of "this week").
        day = timezone.localdate(today) - timedelta(days=days_ago)
        at = datetime.combine(day, time(0, 0), tzinfo=timezone.get_current_timezone())
        for _ in range(2 if days_ago >= 7 else 6):  # three times the usual volume this week
            file_request(pothole, requested_at=at)
        file_request(bulk_item, attributes={"items": ["sofa"]}, requested_at=at)
    found = rising_service_types(today)
    assert [f.service_type_id for f in found] == [pothole.pk]
    assert found[0].recent == 42 and found[0].expected == pytest.approx(14)


def district_snapshot():
    from civic311.insights.models import DistrictDailyStat

    fields = ["day", "district_id", "service_type_id", "opened", "closed", "closed_with_standard", "closed_on_time"]
    return sorted(row for row in DistrictDailyStat.objects.values_list(*fields) if any(row[3:]))


def test_district_rollups_kept_by_actions_equal_a_recount(pothole, client, django_user_model, roles):
    import json

    from django.contrib.auth.models import Group

    from civic311.geo.districts import load_geojson
    from civic311.geo.tests.test_districts import WARDS

    load_geojson(json.dumps(WARDS), kind="ward", code_property="WARD", name_property="NAME")
    rng = random.Random(9)
    now = timezone.now()
    for _ in range(30):
        long = rng.choice(["-71.11", "-71.09", "-71.20"])  # ward 1, ward 2, outside both
        sr = file_request(pothole, lat="42.37", long=long, requested_at=now - timedelta(hours=rng.randint(1, 300)))
        if rng.random() < 0.6:
            actions.close(
                sr, actor=CREW, note="Done", at=min(now, sr.requested_at + timedelta(hours=rng.randint(1, 90)))
            )
            if rng.random() < 0.3:
                actions.reopen(sr, actor=CREW, note="Again", at=now)
    incremental = district_snapshot()
    assert {row[1] for row in incremental} == {d for d in ServiceRequest.districts.through.objects.values_list(
        "district_id", flat=True)}  # fmt: skip
    rollups.rebuild()
    assert district_snapshot() == incremental
    scope = figures.Scope(start=timezone.localdate() - timedelta(days=30), end=timezone.localdate())
    wards = {row["district__name"]: row["opened"] for row in figures.by_district(scope)}
    placed = ServiceRequest.objects.filter(districts__isnull=False).count()
    assert sum(wards.values()) == placed and set(wards) <= {"Ward 1", "Ward 2"}
    boss = django_user_model.objects.create_user("sam.boss", password="pw")
    boss.groups.add(Group.objects.get(name="Supervisor"))
    client.force_login(boss)
    assert "By ward and district" in client.get("/insights/").content.decode()


def test_the_dashboard_lists_rising_service_types_and_articles(client, django_user_model, pothole, roles):
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from civic311.knowledge.actions import save_text
    from civic311.knowledge.models import Article, ArticleView

    now = timezone.now()
    snow = Article.objects.create(slug="snow-emergency")
    save_text(snow, "en", title="What happens during a snow emergency?", answer="No parking on snow routes.")
    views = []
    for days_ago in range(63):  # read once a day for two months, then a storm week
        at = now - timedelta(days=days_ago, hours=1)
        views += [ArticleView(article=snow, language="en", channel="web", at=at)] * (12 if days_ago < 7 else 1)
    ArticleView.objects.bulk_create(views)
    for days_ago in range(63):  # a pothole a day, then a thaw week of eight a day
        for _ in range(8 if days_ago < 7 else 1):
            file_request(pothole, requested_at=now - timedelta(days=days_ago, hours=2))
    boss = django_user_model.objects.create_user("sam.boss", password="pw")
    boss.groups.add(Group.objects.get(name="Supervisor"))
    client.force_login(boss)
    page = client.get(reverse("insights:dashboard")).content.decode()
    rising = page[page.index('id="rising"') :]
    assert "What happens during a snow emergency?" in rising and "Pothole" in rising
