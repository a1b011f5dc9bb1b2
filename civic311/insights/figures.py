"""The CitiStat figures, read from the rollups: never an aggregate over the requests themselves.

Every function takes a date range (city-local days, both ends included) and an optional
department, and answers in a handful of small queries whatever the size of the city's history.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from civic311.catalog.models import Department, ServiceType
from civic311.insights.models import BUCKET_FIELDS, CLOSE_BUCKETS_HOURS, DailyStat, DistrictDailyStat

AGE_BANDS = (
    (0, 2, "0-2 days"),
    (3, 7, "3-7 days"),
    (8, 30, "8-30 days"),
    (31, 90, "31-90 days"),
    (91, None, "over 90 days"),
)


@dataclass(frozen=True)
class Scope:
    start: date
    end: date
    department: Department | None = None
    service_type: ServiceType | None = None

    def stats(self) -> QuerySet[DailyStat]:
        qs = DailyStat.objects.filter(day__range=(self.start, self.end))
        if self.department is not None:
            qs = qs.filter(department=self.department)
        if self.service_type is not None:
            qs = qs.filter(service_type=self.service_type)
        return qs


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def percentile_hours(buckets: list[int], share: float) -> float | None:
    """The bucket bound below which ``share`` of closes fall (None when nothing closed)."""
    total = sum(buckets)
    if not total:
        return None
    running = 0
    for index, count in enumerate(buckets):
        running += count
        if running >= share * total:
            return float(CLOSE_BUCKETS_HOURS[index]) if index < len(CLOSE_BUCKETS_HOURS) else float("inf")
    return float("inf")


SUMS = {
    "opened": Sum("opened"), "closed": Sum("closed"), "with_standard": Sum("closed_with_standard"),
    "on_time": Sum("closed_on_time"), "quick": Sum("closed_quickly"),
    **{name: Sum(name) for name in BUCKET_FIELDS},
}  # fmt: skip


def _figures(row: dict[str, Any]) -> dict[str, Any]:
    counts = {name: row.get(name) or 0 for name in SUMS}
    buckets = [counts.pop(name) for name in BUCKET_FIELDS]
    return {
        **counts,
        "on_time_percent": percent(counts["on_time"], counts["with_standard"]),
        "median_hours": percentile_hours(buckets, 0.5),
        "p90_hours": percentile_hours(buckets, 0.9),
    }


def summary(scope: Scope) -> dict[str, Any]:
    """Opened, closed, on-time share, median and 90th percentile time to close, quick closes."""
    return _figures(scope.stats().aggregate(**SUMS))


def by_service_type(scope: Scope, limit: int = 50) -> list[dict[str, Any]]:
    """Per type: volume and performance, busiest first (the top-types table); one grouped query."""
    grouped = scope.stats().values("service_type").annotate(**SUMS).order_by("-opened")[:limit]
    rows = [(row["service_type"], _figures(row)) for row in grouped]
    types = ServiceType.objects.in_bulk([type_id for type_id, _ in rows])
    return [{"service_type": types[type_id], **figures} for type_id, figures in rows]


def by_department(scope: Scope) -> list[dict[str, Any]]:
    rows = (
        scope.stats()
        .values("department", "department__name")
        .annotate(opened=Sum("opened"), closed=Sum("closed"), with_standard=Sum("closed_with_standard"),
                  on_time=Sum("closed_on_time"))
        .order_by("department__name")
    )  # fmt: skip
    return [{**row, "on_time_percent": percent(row["on_time"], row["with_standard"])} for row in rows]


def by_district(scope: Scope) -> list[dict[str, Any]]:
    """Per ward or district (when boundaries are loaded): volume and on-time share."""
    qs = DistrictDailyStat.objects.filter(day__range=(scope.start, scope.end))
    if scope.service_type is not None:
        qs = qs.filter(service_type=scope.service_type)
    rows = (
        qs.values("district", "district__kind", "district__name")
        .annotate(opened=Sum("opened"), closed=Sum("closed"), with_standard=Sum("closed_with_standard"),
                  on_time=Sum("closed_on_time"))
        .order_by("district__kind", "district__name")
    )  # fmt: skip
    return [{**row, "on_time_percent": percent(row["on_time"], row["with_standard"])} for row in rows]


def trend(scope: Scope, period: str = "day") -> list[dict[str, Any]]:
    """Opened and closed per day, week or month, oldest first (the trend chart)."""
    qs = scope.stats()
    if period == "day":
        keyed = {row["day"]: row for row in qs.values("day").annotate(opened=Sum("opened"), closed=Sum("closed"))}
        days = (scope.start + timedelta(days=n) for n in range((scope.end - scope.start).days + 1))
        # Every day of the range, quiet ones included, so the chart's time axis is true.
        return [
            {
                "period": day,
                "opened": keyed.get(day, {}).get("opened", 0),
                "closed": keyed.get(day, {}).get("closed", 0),
            }
            for day in days
        ]
    trunc = {"week": TruncWeek("day"), "month": TruncMonth("day")}[period]
    grouped = qs.annotate(period=trunc).values("period").annotate(opened=Sum("opened"), closed=Sum("closed"))
    return list(grouped.order_by("period"))


def backlog_by_age(department: Department | None = None, today: date | None = None) -> list[dict[str, Any]]:
    """Open requests now, by how long ago they were filed."""
    today = today or timezone.localdate()
    qs = DailyStat.objects.filter(still_open__gt=0)
    if department is not None:
        qs = qs.filter(department=department)
    per_day: dict[date, int] = defaultdict(int)
    for day, count in qs.values_list("day", "still_open"):
        per_day[day] += count
    bands = []
    for low, high, label in AGE_BANDS:
        newest = today - timedelta(days=low)
        oldest = today - timedelta(days=high) if high is not None else date.min
        bands.append({"label": label, "open": sum(c for d, c in per_day.items() if oldest <= d <= newest)})
    return bands
