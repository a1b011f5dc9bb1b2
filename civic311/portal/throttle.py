"""Rate limiting of the portal's request form, per client, shared by every app server.

Written here rather than taken from django-ratelimit: that package needs a cache with atomic
increments (Redis or Memcached), and the embedded default has neither. The count lives in the
database every app server already shares, and the increment is one conditional UPDATE, which is
atomic on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from civic311.portal.models import Throttle

WINDOW = timedelta(hours=1)


def client_key(request: HttpRequest) -> str:
    """A keyed hash of the client's address: enough to count by, useless to anyone reading the table."""
    header = settings.CIVIC311_CLIENT_IP_HEADER
    address = request.META.get(header, "") if header else ""
    address = address.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def _window(now: datetime) -> datetime:
    seconds = int(WINDOW.total_seconds())
    return datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=now.tzinfo)


def count(key: str, now: datetime | None = None) -> int:
    row = Throttle.objects.filter(key=key, window_start=_window(now or timezone.now())).first()
    return row.count if row else 0


def allowed(key: str, now: datetime | None = None) -> bool:
    """May this client file another request in the current window?"""
    return count(key, now) < settings.CIVIC311_SUBMISSIONS_PER_HOUR


def spend(key: str, now: datetime | None = None) -> None:
    """Count one filed request against the client (call inside the filing's transaction)."""
    window = _window(now or timezone.now())
    if Throttle.objects.filter(key=key, window_start=window).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            Throttle.objects.create(key=key, window_start=window, count=1)
    except IntegrityError:  # another server created the row first
        Throttle.objects.filter(key=key, window_start=window).update(count=F("count") + 1)


def sweep(now: datetime | None = None) -> int:
    """Forget windows that have ended."""
    return Throttle.objects.filter(window_start__lt=_window(now or timezone.now())).delete()[0]
