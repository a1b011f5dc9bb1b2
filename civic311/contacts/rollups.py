"""Keeping the call statistics' counters current: called by the contact actions inside their transactions."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate, TruncHour
from django.utils import timezone

from civic311.contacts.models import Contact, ContactArticleDay, ContactHourStat, ContactRequest, ContactServiceDay
from civic311.lib.rollup import increment


def hour_of(moment: datetime) -> datetime:
    """The start of the city-time hour ``moment`` falls in."""
    return timezone.localtime(moment).replace(minute=0, second=0, microsecond=0)


def _label(contact: Contact) -> str:
    return contact.csr.get_username() if contact.csr_id and contact.csr else ""


def add(contact: Contact, kind: str, **counts: int) -> None:
    """Add counts (which may be negative) to the contact's hour, CSR and ``kind``."""
    changes = {name: F(name) + value for name, value in counts.items() if value}
    increment(ContactHourStat, {"hour": hour_of(contact.started_at), "csr_label": _label(contact), "kind": kind},
              changes)  # fmt: skip


def started(contact: Contact) -> None:
    add(contact, "", contacts=1)


def wrapped_up(contact: Contact) -> None:
    transferred = contact.transferred_to_id is not None
    add(contact, "", contacts=-1)
    add(contact, contact.kind, contacts=1, ended=1, handle_sum=contact.handle_seconds or 0,
        transfers=int(transferred), resolved_first=int(not transferred and not contact.repeated))  # fmt: skip


def marked_repeated(contact: Contact) -> None:
    """An ended contact, counted as resolved first time, turned out not to be."""
    if contact.ended_at is not None and contact.transferred_to_id is None:
        add(contact, contact.kind, resolved_first=-1)


def article_used(contact: Contact, article_id: int) -> None:
    day = timezone.localtime(contact.started_at).date()
    increment(ContactArticleDay, {"day": day, "article_id": article_id}, {"uses": F("uses") + 1})


def request_filed(contact: Contact, service_type_id: int) -> None:
    day = timezone.localtime(contact.started_at).date()
    increment(ContactServiceDay, {"day": day, "service_type_id": service_type_id}, {"filed": F("filed") + 1})


@transaction.atomic
def rebuild() -> int:
    """Recount every hour from the contacts themselves (after a bulk load, or to check the counters)."""
    ContactHourStat.objects.all().delete()
    rows = (
        Contact.objects.annotate(hour=TruncHour("started_at", tzinfo=timezone.get_default_timezone()))
        .values("hour", "csr__username", "kind")
        .annotate(
            n=Count("id"),
            ended_n=Count("id", filter=Q(ended_at__isnull=False)),
            handle=Sum("handle_seconds", default=0),
            transfers_n=Count("id", filter=Q(ended_at__isnull=False, transferred_to__isnull=False)),
            resolved=Count("id", filter=Q(ended_at__isnull=False, transferred_to__isnull=True, repeated=False)),
        )
    )
    stats = [
        ContactHourStat(hour=r["hour"], csr_label=r["csr__username"] or "", kind=r["kind"], contacts=r["n"],
                        ended=r["ended_n"], handle_sum=r["handle"], transfers=r["transfers_n"],
                        resolved_first=r["resolved"])
        for r in rows
    ]  # fmt: skip
    ContactHourStat.objects.bulk_create(stats, batch_size=5000)
    tz = timezone.get_default_timezone()
    ContactArticleDay.objects.all().delete()
    used = (
        Contact.objects.filter(articles__isnull=False)
        .annotate(day=TruncDate("started_at", tzinfo=tz))
        .values("day", "articles")
        .annotate(n=Count("id"))
    )
    ContactArticleDay.objects.bulk_create(
        [ContactArticleDay(day=r["day"], article_id=r["articles"], uses=r["n"]) for r in used], batch_size=5000
    )
    ContactServiceDay.objects.all().delete()
    filed = (
        ContactRequest.objects.filter(role=ContactRequest.Role.CREATED)
        .annotate(day=TruncDate("contact__started_at", tzinfo=tz))
        .values("day", "request__service_type_id")
        .annotate(n=Count("id"))
    )
    ContactServiceDay.objects.bulk_create(
        [ContactServiceDay(day=r["day"], service_type_id=r["request__service_type_id"], filed=r["n"]) for r in filed],
        batch_size=5000,
    )
    return len(stats)
