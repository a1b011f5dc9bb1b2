"""Call statistics for supervisors: volume, handle time, transfers, first-contact resolution.

First-contact resolution (FCR): a wrapped-up contact that was not transferred and after which the
same caller (phone line or email) did not contact the center again within 72 hours. The repeat is
marked on the earlier contact when the later one starts (``actions.start``), so these figures are
plain counts over an index on ``started_at``. Contacts of the last three days may still be marked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncDay, TruncHour, TruncWeek
from django.utils import timezone

from civic311.contacts.models import Contact, ContactRequest
from civic311.knowledge.models import ArticleText

PERIODS = {"hour": TruncHour, "day": TruncDay, "week": TruncWeek}
RESOLVED_FIRST = Q(ended_at__isnull=False, transferred_to__isnull=True, repeated=False)


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date  # inclusive

    def bounds(self) -> tuple[datetime, datetime]:
        tz = timezone.get_default_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz),
        )


def contacts_in(span: DateRange) -> QuerySet[Contact]:
    begin, finish = span.bounds()
    return Contact.objects.filter(started_at__gte=begin, started_at__lt=finish)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def summary(span: DateRange) -> dict[str, Any]:
    row = contacts_in(span).aggregate(
        total=Count("id"),
        information=Count("id", filter=Q(kind=Contact.Kind.INFORMATION)),
        service=Count("id", filter=Q(kind=Contact.Kind.SERVICE_REQUEST)),
        ended=Count("id", filter=Q(ended_at__isnull=False)),
        transfers=Count("id", filter=Q(transferred_to__isnull=False)),
        resolved_first=Count("id", filter=RESOLVED_FIRST),
        avg_handle=Avg("handle_seconds"),
    )
    row["transfer_percent"] = _percent(row["transfers"], row["total"])
    row["fcr_percent"] = _percent(row["resolved_first"], row["ended"])
    row["avg_handle"] = round(row["avg_handle"]) if row["avg_handle"] is not None else None
    return row


def volume(span: DateRange, period: str = "day") -> list[dict[str, Any]]:
    """Contacts per hour, day or week (city time), split into information, service and other."""
    trunc = PERIODS.get(period, TruncDay)
    rows = (
        contacts_in(span)
        .annotate(period=trunc("started_at", tzinfo=timezone.get_default_timezone()))
        .values("period")
        .annotate(
            total=Count("id"),
            information=Count("id", filter=Q(kind=Contact.Kind.INFORMATION)),
            service=Count("id", filter=Q(kind=Contact.Kind.SERVICE_REQUEST)),
        )
        .order_by("period")
    )
    return [{**r, "other": r["total"] - r["information"] - r["service"]} for r in rows]


def per_csr(span: DateRange) -> list[dict[str, Any]]:
    rows = (
        contacts_in(span)
        .values("csr__username")
        .annotate(
            contacts=Count("id"),
            ended=Count("id", filter=Q(ended_at__isnull=False)),
            avg_handle=Avg("handle_seconds"),
            transfers=Count("id", filter=Q(transferred_to__isnull=False)),
            resolved_first=Count("id", filter=RESOLVED_FIRST),
        )
        .order_by("-contacts", "csr__username")
    )
    return [
        {**r, "avg_handle": round(r["avg_handle"]) if r["avg_handle"] is not None else None,
         "transfer_percent": _percent(r["transfers"], r["contacts"]),
         "fcr_percent": _percent(r["resolved_first"], r["ended"])}
        for r in rows
    ]  # fmt: skip


def top_articles(span: DateRange, *, language: str = "en", limit: int = 10) -> list[dict[str, Any]]:
    """The articles CSRs used most, with a title in ``language`` where the article has one."""
    begin, finish = span.bounds()
    used = Contact.articles.through.objects.filter(contact__started_at__gte=begin, contact__started_at__lt=finish)
    counts = list(
        used.values("article_id", "article__slug").annotate(n=Count("id")).order_by("-n", "article_id")[:limit]
    )
    titles: dict[int, str] = {}
    for text in ArticleText.objects.filter(article_id__in=[c["article_id"] for c in counts]).order_by("language"):
        if text.language == language or text.article_id not in titles:
            titles[text.article_id] = text.title
    return [{"slug": c["article__slug"], "title": titles.get(c["article_id"], c["article__slug"]), "uses": c["n"]}
            for c in counts]  # fmt: skip


def top_service_types(span: DateRange, *, limit: int = 10) -> list[dict[str, Any]]:
    """The service types most often filed from contacts."""
    begin, finish = span.bounds()
    rows = (
        ContactRequest.objects.filter(
            role=ContactRequest.Role.CREATED, contact__started_at__gte=begin, contact__started_at__lt=finish
        )
        .values("request__service_type__service_code", "request__service_type__name")
        .annotate(n=Count("id"))
        .order_by("-n", "request__service_type__name")[:limit]
    )
    return [
        {"code": r["request__service_type__service_code"], "name": r["request__service_type__name"], "filed": r["n"]}
        for r in rows
    ]
