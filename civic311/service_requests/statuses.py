"""Request statuses: the finer lifecycle a city works with, and how Open311 sees it (open/closed).

The transition map is the single source of truth for what may follow what; actions refuse anything
else with a message naming both statuses. Reopening is the only way from a closed status back to an
open one, and it goes through its own action so it always leaves a "reopened" event.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    # Labels are shown to residents (track page, emails) in their language.
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", _("On hold")
    CLOSED = "closed", _("Closed")
    DUPLICATE = "duplicate", _("Duplicate")
    REFERRED = "referred", _("Referred to another agency")


CLOSED_STATUSES: frozenset[str] = frozenset({Status.CLOSED, Status.DUPLICATE, Status.REFERRED})
OPEN_STATUSES: frozenset[str] = frozenset(set(Status.values) - CLOSED_STATUSES)

_ANY_CLOSE = {Status.CLOSED, Status.DUPLICATE, Status.REFERRED}

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.ON_HOLD} | _ANY_CLOSE),
    Status.ACKNOWLEDGED: frozenset({Status.IN_PROGRESS, Status.ON_HOLD} | _ANY_CLOSE),
    Status.IN_PROGRESS: frozenset({Status.ON_HOLD} | _ANY_CLOSE),
    Status.ON_HOLD: frozenset({Status.ACKNOWLEDGED, Status.IN_PROGRESS} | _ANY_CLOSE),
    # Closed statuses move only through reopen().
    Status.CLOSED: frozenset(),
    Status.DUPLICATE: frozenset(),
    Status.REFERRED: frozenset(),
}

# Where reopen() puts a request: back in the department's queue for triage.
REOPEN_STATUS = Status.ACKNOWLEDGED


def open311_status(status: str) -> str:
    """Open311 knows only 'open' and 'closed'."""
    return "closed" if status in CLOSED_STATUSES else "open"


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())
