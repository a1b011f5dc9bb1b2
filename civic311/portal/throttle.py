"""Rate limits shared by every app server: filing and following on the portal, signing in, API keys.

Written here rather than taken from django-ratelimit: that package needs a cache with atomic
increments (Redis or Memcached), and the embedded default has neither. The counts live in the
database every app server already shares.

Spending *is* the check. One statement (``INSERT … ON CONFLICT DO UPDATE … WHERE count < limit
RETURNING count``, the same SQL on SQLite and PostgreSQL) either counts the use or, returning no
row, refuses it; two app servers can never both take the last use of a window. (Reading the count
first and adding to it afterwards let 30 of 30 concurrent submissions through a limit of 10.) Call
it inside the transaction of what it pays for, so a use that fails (a form with errors) is given
back by the rollback; on PostgreSQL the row stays locked until then, so one client's concurrent
uses queue behind each other rather than overtake.

The client's address: ``CIVIC311_PROXY_HOPS`` proxies in front each append the address they saw to
the forwarding header, so the trusted entry is that many from the right; whatever is left of it
the client wrote itself, and is ignored.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from civic311.portal.models import Throttle

WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Limit:
    """One kind of use, counted per subject (a client address, an account, an API key) per window."""

    scope: str
    setting: str  # the setting with the uses allowed per window; 0 turns the limit off

    @property
    def allowance(self) -> int:
        return int(getattr(settings, self.setting))


# Filing a request and following one on the portal share one allowance: both make the city act
# (file work, send email) on an anonymous visitor's word.
PORTAL = Limit("portal", "CIVIC311_SUBMISSIONS_PER_HOUR")
LOGIN_ACCOUNT = Limit("login", "CIVIC311_LOGIN_FAILURES_PER_HOUR")
LOGIN_ADDRESS = Limit("login-address", "CIVIC311_LOGIN_FAILURES_PER_ADDRESS_PER_HOUR")
API_KEY = Limit("api-key", "CIVIC311_API_KEY_CALLS_PER_HOUR")


def client_address(request: HttpRequest) -> str:
    """The client's address: the one the outermost trusted proxy saw, else the socket's peer.

    With fewer entries than hops the request did not come through every proxy, so the header is
    not trusted at all.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    header, hops = settings.CIVIC311_CLIENT_IP_HEADER, settings.CIVIC311_PROXY_HOPS
    if not header or hops < 1:
        return remote
    entries = [entry.strip() for entry in request.META.get(header, "").split(",")]
    if len(entries) < hops:
        return remote
    return entries[-hops] or remote


def key(limit: Limit, subject: str) -> str:
    """A keyed hash of the scope and subject: enough to count by, useless to anyone reading the table."""
    message = f"{limit.scope}\n{subject}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _window(now: datetime) -> datetime:
    seconds = int(WINDOW.total_seconds())
    return datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=now.tzinfo)


def spend(limit: Limit, subject: str, now: datetime | None = None) -> bool:
    """Count one use by ``subject`` if its allowance for this window is not used up; False refuses."""
    allowance = limit.allowance
    if allowance <= 0:
        return True
    window = Throttle._meta.get_field("window_start").get_db_prep_value(
        _window(now or timezone.now()), connection, prepared=False
    )
    q = connection.ops.quote_name
    table, name, start, count = q(Throttle._meta.db_table), q("key"), q("window_start"), q("count")
    # Django's bulk_create(update_conflicts=True) cannot add the condition, hence the SQL; the names
    # come from the model, every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({name}, {start}, {count}) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT ({name}, {start}) DO UPDATE SET {count} = {table}.{count} + 1 "
        f"WHERE {table}.{count} < %s RETURNING {count}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key(limit, subject), window, allowance])
        return cursor.fetchone() is not None


class Exhausted(Exception):
    """A use refused: the allowance of this window is used up; ``retry_after`` seconds until the next."""

    def __init__(self, retry_after: int):
        super().__init__(f"rate limit reached; retry after {retry_after} s")
        self.retry_after = retry_after


def require(limit: Limit, subject: str, now: datetime | None = None) -> None:
    """Spend one use or raise Exhausted (inside a transaction, the raise rolls back the caller's work)."""
    if not spend(limit, subject, now):
        raise Exhausted(retry_after(now))


def refund(limit: Limit, subject: str, now: datetime | None = None) -> None:
    """Give back one use (a sign-in that turned out to be the account's owner)."""
    window = _window(now or timezone.now())
    Throttle.objects.filter(key=key(limit, subject), window_start=window, count__gt=0).update(count=F("count") - 1)


def retry_after(now: datetime | None = None) -> int:
    """Whole seconds until the current window ends, for a Retry-After header."""
    now = now or timezone.now()
    return max(1, math.ceil((_window(now) + WINDOW - now).total_seconds()))


def sweep(now: datetime | None = None) -> int:
    """Forget windows that have ended."""
    return Throttle.objects.filter(window_start__lt=_window(now or timezone.now())).delete()[0]
