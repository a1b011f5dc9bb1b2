"""Date ranges as the dashboards take them: from the query string, in the city's days."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

MAX_DAYS = 3 * 366


def local_day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """From the first moment of ``start`` to the first moment after ``end`` (inclusive), city time."""
    tz = timezone.get_default_timezone()
    return datetime.combine(start, time.min, tzinfo=tz), datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)


def _day(params: Mapping[str, str], name: str, problems: list[str]) -> date | None:
    raw = params.get(name, "") or ""
    try:
        return parse_date(raw)
    except ValueError:  # well-formed but no such day, e.g. 2026-02-30
        problems.append(_("%(value)s is not a date; it was left out.") % {"value": raw[:20]})
        return None


def requested_range(params: Mapping[str, str], default_days: int) -> tuple[date, date, list[str]]:
    """(start, end, problems) from ``start``/``end`` (YYYY-MM-DD): the last ``default_days`` days unless
    asked; a backwards range falls back to that, and a range over three years is shortened."""
    problems: list[str] = []
    today = timezone.localdate()
    end = _day(params, "end", problems) or today
    start = _day(params, "start", problems) or end - timedelta(days=default_days - 1)
    if start > end:
        problems.append(
            _("The start date is after the end date; showing the last %(days)s days.") % {"days": default_days}
        )
        start, end = today - timedelta(days=default_days - 1), today
    if (end - start).days > MAX_DAYS:
        problems.append(_("At most three years at once; the range was shortened."))
        start = end - timedelta(days=MAX_DAYS)
    return start, end, problems
