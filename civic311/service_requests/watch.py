"""The periodic check of performance standards: which open requests reached warning or breach."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from civic311.service_requests import actions
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.statuses import OPEN_STATUSES


def check_standards(now: datetime | None = None, limit: int = 5000) -> dict[str, int]:
    """Record a notice for each open request past its warning or due time that has none yet."""
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
