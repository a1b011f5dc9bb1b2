"""Call statistics for supervisors: volume, handle time, transfers, first-contact resolution.

First-contact resolution (FCR): a wrapped-up contact that was not transferred and after which the
same caller (phone line or email) did not contact the center again within 72 hours. The repeat is
marked on the earlier contact when the later one starts (``actions.start``). Volume, handle time,
transfers and FCR are read from ContactHourStat, the hourly counters the actions keep; handle
time, transfer rate and FCR are of wrapped-up contacts. Contacts of the last three days may still
be marked as repeated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from civic311.contacts.models import Contact, ContactArticleDay, ContactHourStat, ContactServiceDay
from civic311.knowledge.models import ArticleText
from civic311.lib.dates import local_day_bounds

PERIODS = ("hour", "day", "week")


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date  # inclusive

    def bounds(self) -> tuple[datetime, datetime]:
        return local_day_bounds(self.start, self.end)


def contacts_in(span: DateRange) -> QuerySet[Contact]:
    begin, finish = span.bounds()
    return Contact.objects.filter(started_at__gte=begin, started_at__lt=finish)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _hours(span: DateRange) -> QuerySet[ContactHourStat]:
    begin, finish = span.bounds()
    return ContactHourStat.objects.filter(hour__gte=begin, hour__lt=finish)


SUMS = {
    "total": Sum("contacts"),
    "information": Sum("contacts", filter=Q(kind=Contact.Kind.INFORMATION)),
    "service": Sum("contacts", filter=Q(kind=Contact.Kind.SERVICE_REQUEST)),
    "ended": Sum("ended"),
    "handle_sum": Sum("handle_sum"),
    "transfers": Sum("transfers"),
    "resolved_first": Sum("resolved_first"),
}


def _figures(row: dict[str, Any]) -> dict[str, Any]:
    row = {name: row.get(name) or 0 for name in SUMS} | {k: v for k, v in row.items() if k not in SUMS}
    row["avg_handle"] = round(row["handle_sum"] / row["ended"]) if row["ended"] else None
    row["transfer_percent"] = _percent(row["transfers"], row["ended"])
    row["fcr_percent"] = _percent(row["resolved_first"], row["ended"])
    return row


def summary(span: DateRange) -> dict[str, Any]:
    """Contacts, the information/service split, average handle time, transfer rate and FCR (of wrapped-up contacts)."""
    return _figures(_hours(span).aggregate(**SUMS))


def _period_start(hour: datetime, period: str) -> datetime:
    local = timezone.localtime(hour)
    if period == "hour":
        return local
    day = local.replace(hour=0)
    return day - timedelta(days=day.weekday()) if period == "week" else day


def volume(span: DateRange, period: str = "day") -> list[dict[str, Any]]:
    """Contacts per hour, day or week (weeks start on Monday, city time), split into information,
    service and other."""
    period = period if period in PERIODS else "day"
    totals: dict[datetime, dict[str, int]] = {}
    rows = (
        _hours(span)
        .values("hour")
        .annotate(total=Sum("contacts"), information=SUMS["information"], service=SUMS["service"])
    )
    for r in rows:
        bucket = totals.setdefault(_period_start(r["hour"], period), {"total": 0, "information": 0, "service": 0})
        for name in bucket:
            bucket[name] += r[name] or 0
    return [{"period": when, **counts, "other": counts["total"] - counts["information"] - counts["service"]}
            for when, counts in sorted(totals.items())]  # fmt: skip


def per_csr(span: DateRange) -> list[dict[str, Any]]:
    rows = _hours(span).values("csr_label").annotate(**SUMS).order_by("-total", "csr_label")
    return [_figures({**r, "csr": r["csr_label"], "contacts": r["total"]}) for r in rows]


def top_articles(span: DateRange, *, language: str = "en", limit: int = 10) -> list[dict[str, Any]]:
    """The articles CSRs used most, with a title in ``language`` where the article has one."""
    counts = list(
        ContactArticleDay.objects.filter(day__range=(span.start, span.end))
        .values("article_id", "article__slug")
        .annotate(n=Sum("uses"))
        .order_by("-n", "article_id")[:limit]
    )
    titles: dict[int, str] = {}
    for text in ArticleText.objects.filter(article_id__in=[c["article_id"] for c in counts]).order_by("language"):
        if text.language == language or text.article_id not in titles:
            titles[text.article_id] = text.title
    return [{"slug": c["article__slug"], "title": titles.get(c["article_id"], c["article__slug"]), "uses": c["n"]}
            for c in counts]  # fmt: skip


def top_service_types(span: DateRange, *, limit: int = 10) -> list[dict[str, Any]]:
    """The service types most often filed from contacts."""
    rows = (
        ContactServiceDay.objects.filter(day__range=(span.start, span.end))
        .values("service_type__service_code", "service_type__name")
        .annotate(n=Sum("filed"))
        .order_by("-n", "service_type__name")[:limit]
    )
    return [{"code": r["service_type__service_code"], "name": r["service_type__name"], "filed": r["n"]} for r in rows]
