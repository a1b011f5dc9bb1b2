"""Keeping DailyStat current: handlers run inside the transaction of each request change.

Every change is an UPDATE … SET n = n + 1 on the rows it touches, so concurrent writers never
lose each other's counts.

Each change adds or removes a request's contribution to the rows it touches; nothing is
recounted. ``rebuild`` recomputes everything from the requests, for after a bulk repair.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import receiver

from civic311.insights.models import BUCKET_FIELDS, CLOSE_BUCKETS_HOURS, DailyStat, DistrictDailyStat
from civic311.lib.rollup import increment
from civic311.service_requests.models import EventKind, ServiceRequest, ServiceRequestEvent, city_time
from civic311.service_requests.signals import request_event_recorded, requests_imported
from civic311.service_requests.statuses import CLOSED_STATUSES

QUICK = timedelta(minutes=10)
CLOSING = {EventKind.CLOSED, EventKind.MERGED}


def local_day(value: Any) -> date:
    return city_time(value).date()


def bucket_of(duration: timedelta) -> int:
    return bisect.bisect_left(CLOSE_BUCKETS_HOURS, duration.total_seconds() / 3600)


def _add(key: tuple[date, int, int], counts: dict[str, int], buckets: dict[int, int] | None = None) -> None:
    """Add counts (which may be negative) to one DailyStat row."""
    changes = {name: F(name) + value for name, value in counts.items() if value}
    changes.update({BUCKET_FIELDS[index]: F(BUCKET_FIELDS[index]) + value for index, value in (buckets or {}).items()})
    increment(DailyStat, {"day": key[0], "service_type_id": key[1], "department_id": key[2]}, changes)


def _add_district(day: date, district_id: int, type_id: int, counts: dict[str, int]) -> None:
    changes = {name: F(name) + value for name, value in counts.items() if value}
    increment(DistrictDailyStat, {"day": day, "district_id": district_id, "service_type_id": type_id}, changes)


def _district_ids(sr: ServiceRequest) -> list[int]:
    return list(sr.districts.values_list("id", flat=True))


def _close_contribution(sr: ServiceRequest, closed_at: Any, sign: int) -> None:
    duration = closed_at - sr.requested_at
    has_standard = sr.expected_at is not None
    counts = {
        "closed": sign,
        "closed_with_standard": sign if has_standard else 0,
        "closed_on_time": sign if has_standard and closed_at <= sr.expected_at else 0,
        "closed_quickly": sign if duration <= QUICK else 0,
    }
    _add((local_day(closed_at), sr.service_type_id, sr.department_id), counts, {bucket_of(duration): sign})
    _add((local_day(sr.requested_at), sr.service_type_id, sr.department_id), {"still_open": -sign})
    district_counts = {k: counts[k] for k in ("closed", "closed_with_standard", "closed_on_time")}
    for district_id in _district_ids(sr):
        _add_district(local_day(closed_at), district_id, sr.service_type_id, district_counts)


@receiver(request_event_recorded)
def on_event(sender: Any, event: ServiceRequestEvent, **kwargs: Any) -> None:
    sr = event.request
    if event.kind == EventKind.SUBMITTED:
        _add((local_day(sr.requested_at), sr.service_type_id, sr.department_id), {"opened": 1, "still_open": 1})
        for district_id in _district_ids(sr):
            _add_district(local_day(sr.requested_at), district_id, sr.service_type_id, {"opened": 1})
    elif event.kind in CLOSING:
        _close_contribution(sr, event.at, +1)
    elif event.kind == EventKind.REOPENED:
        last_close = (
            ServiceRequestEvent.objects.filter(request=sr, kind__in=CLOSING, at__lte=event.at)
            .exclude(pk=event.pk)
            .order_by("-at", "-id")
            .first()
        )
        if last_close is not None:
            _close_contribution(sr, last_close.at, -1)


COUNT_FIELDS = ("opened", "still_open", "closed", "closed_with_standard", "closed_on_time", "closed_quickly")


@receiver(requests_imported)
def on_import(sender: Any, requests: list[ServiceRequest], **kwargs: Any) -> None:
    """A batch's contributions in a few statements: lock the rows it touches, add, write back."""
    _import_districts(requests)
    contributions = _contributions(requests)
    if not contributions:
        return
    days = {key[0] for key in contributions}
    existing = {
        (stat.day, stat.service_type_id, stat.department_id): stat
        for stat in DailyStat.objects.select_for_update().filter(
            day__range=(min(days), max(days)),
            service_type_id__in={key[1] for key in contributions},
            department_id__in={key[2] for key in contributions},
        )
    }
    changed, new = [], []
    for key, (counts, buckets) in contributions.items():
        stat = existing.get(key)
        if stat is None:
            stat = DailyStat(day=key[0], service_type_id=key[1], department_id=key[2])
            new.append(stat)
        else:
            changed.append(stat)
        for name, value in counts.items():
            setattr(stat, name, getattr(stat, name) + value)
        for index, value in buckets.items():
            setattr(stat, BUCKET_FIELDS[index], getattr(stat, BUCKET_FIELDS[index]) + value)
    DailyStat.objects.bulk_update(changed, [*COUNT_FIELDS, *BUCKET_FIELDS], batch_size=1000)
    try:
        with transaction.atomic():
            DailyStat.objects.bulk_create(new, batch_size=1000)
    except IntegrityError:  # a concurrent writer created some of these rows: fall back row by row
        for stat in new:
            key = (stat.day, stat.service_type_id, stat.department_id)
            counts, buckets = contributions[key]
            _add(key, dict(counts), dict(buckets))


def _district_contributions(requests: list[ServiceRequest]) -> dict[tuple[date, int, int], dict[str, int]]:
    through = ServiceRequest.districts.through
    placed: dict[int, list[int]] = defaultdict(list)
    pairs = through.objects.filter(servicerequest__in=[sr.pk for sr in requests]).values_list(
        "servicerequest_id", "district_id"
    )
    for request_id, district_id in pairs:
        placed[request_id].append(district_id)
    rows: dict[tuple[date, int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for sr in requests:
        for district_id in placed.get(sr.pk, []):
            rows[(local_day(sr.requested_at), district_id, sr.service_type_id)]["opened"] += 1
            if sr.status in CLOSED_STATUSES and sr.closed_at is not None:
                closed = rows[(local_day(sr.closed_at), district_id, sr.service_type_id)]
                closed["closed"] += 1
                if sr.expected_at is not None:
                    closed["closed_with_standard"] += 1
                    closed["closed_on_time"] += sr.closed_at <= sr.expected_at
    return rows


def _import_districts(requests: list[ServiceRequest]) -> None:
    for (day, district_id, type_id), counts in _district_contributions(requests).items():
        _add_district(day, district_id, type_id, dict(counts))


def _contributions(
    requests: list[ServiceRequest],
) -> dict[tuple[date, int, int], tuple[dict[str, int], dict[int, int]]]:
    rows: dict[tuple[date, int, int], tuple[dict[str, int], dict[int, int]]] = defaultdict(
        lambda: (defaultdict(int), defaultdict(int))
    )
    for sr in requests:
        opened_key = (local_day(sr.requested_at), sr.service_type_id, sr.department_id)
        rows[opened_key][0]["opened"] += 1
        if sr.status in CLOSED_STATUSES and sr.closed_at is not None:
            counts, buckets = rows[(local_day(sr.closed_at), sr.service_type_id, sr.department_id)]
            duration = sr.closed_at - sr.requested_at
            counts["closed"] += 1
            if sr.expected_at is not None:
                counts["closed_with_standard"] += 1
                counts["closed_on_time"] += sr.closed_at <= sr.expected_at
            counts["closed_quickly"] += duration <= QUICK
            buckets[bucket_of(duration)] += 1
        else:
            rows[opened_key][0]["still_open"] += 1
    return rows


@transaction.atomic
def rebuild() -> int:
    """Recompute every rollup from the requests themselves; returns the number of rows written."""
    DailyStat.objects.all().delete()
    DistrictDailyStat.objects.all().delete()
    district_totals: dict[tuple[date, int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[tuple[date, int, int], tuple[dict[str, int], dict[int, int]]] = {}
    fields = ["requested_at", "closed_at", "expected_at", "status", "service_type_id", "department_id"]
    batch: list[ServiceRequest] = []

    def flush() -> None:
        for key, (counts, buckets) in _contributions(batch).items():
            total = totals.setdefault(key, (defaultdict(int), defaultdict(int)))
            for name, value in counts.items():
                total[0][name] += value
            for index, value in buckets.items():
                total[1][index] += value
        for key, counts in _district_contributions(batch).items():
            for name, value in counts.items():
                district_totals[key][name] += value
        batch.clear()

    for sr in ServiceRequest.objects.only("id", *fields).iterator(chunk_size=5000):
        batch.append(sr)
        if len(batch) >= 5000:
            flush()
    flush()
    DailyStat.objects.bulk_create(
        (
            DailyStat(
                day=key[0], service_type_id=key[1], department_id=key[2], **counts,
                **{BUCKET_FIELDS[index]: value for index, value in buckets.items()},
            )
            for key, (counts, buckets) in totals.items()
        ),
        batch_size=1000,
    )  # fmt: skip
    DistrictDailyStat.objects.bulk_create(
        (
            DistrictDailyStat(day=day, district_id=district_id, service_type_id=type_id, **counts)
            for (day, district_id, type_id), counts in district_totals.items()
        ),
        batch_size=1000,
    )
    return len(totals)
