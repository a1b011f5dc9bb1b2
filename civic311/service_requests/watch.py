"""The periodic check of performance standards: which open requests reached warning or breach."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from civic311.service_requests import actions
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.statuses import OPEN_STATUSES


def check_standards(now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Record a notice for each open request past its warning or due time that has none yet.

    At most ``limit`` of each per round, each in its own short transaction: a backlog of thousands
    (a city's first day, a long outage) drains over a few rounds instead of holding the database's
    write lock against residents filing requests.
    """
    now = now or timezone.now()
    open_requests = ServiceRequest.objects.filter(status__in=sorted(OPEN_STATUSES))
    counts = {}
    for threshold, due_field, sent_field in (
        (actions.WARNING, "warning_at", "warning_sent_at"),
        (actions.BREACH, "expected_at", "breach_sent_at"),
    ):
        due = open_requests.filter(**{f"{due_field}__lte": now, f"{sent_field}__isnull": True})
        ids = list(due.order_by(due_field).values_list("pk", flat=True)[:limit])
        counts[threshold] = sum(actions.record_standard_notice(pk, threshold, now=now) for pk in ids)
    return counts
