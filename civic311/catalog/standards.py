"""Performance standards: when a request is due, and when its department should be warned.

Calendar standards add plain hours. Business standards count only the calendar's working hours,
skipping weekends, public holidays (the ``holidays`` package) and the city's closed days; a request
filed after hours starts counting when the city next opens.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone

from civic311.catalog.models import BusinessCalendar, ServiceType

MAX_DAYS = 3 * 366  # a standard longer than three years of working days is a data error


@lru_cache(maxsize=32)
def _public_holidays(country: str, subdivision: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, subdiv=subdivision or None, years=year))


def is_working_day(calendar: BusinessCalendar, day: date, closed: frozenset[date] = frozenset()) -> bool:
    return (
        day.weekday() in calendar.weekday_numbers
        and day not in _public_holidays(calendar.country, calendar.subdivision, day.year)
        and day not in closed
    )


def add_business_hours(calendar: BusinessCalendar, start: datetime, hours: float) -> datetime:
    """The moment ``hours`` working hours after ``start``, in the calendar's working time."""
    tz = timezone.get_default_timezone()
    local = start.astimezone(tz)
    closed = frozenset(calendar.closed_days.values_list("date", flat=True)) if calendar.pk else frozenset()
    remaining = timedelta(hours=hours)
    day = local.date()
    for _ in range(MAX_DAYS):
        if is_working_day(calendar, day, closed):
            opens = datetime.combine(day, calendar.opens, tzinfo=tz)
            closes = datetime.combine(day, calendar.closes, tzinfo=tz)
            begin = max(opens, local)
            if begin < closes:
                available = closes - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += timedelta(days=1)
        local = datetime.combine(day, calendar.opens, tzinfo=tz)
    raise ValueError(f"{hours} business hours do not fit in {MAX_DAYS} days of calendar {calendar}.")


def calendar_for(service_type: ServiceType) -> BusinessCalendar:
    if service_type.calendar_id:
        return service_type.calendar  # type: ignore[return-value]
    default = BusinessCalendar.objects.filter(is_default=True).first()
    # With no calendar configured, business hours are Monday to Friday, 8:30 to 4:30, US holidays.
    return default or BusinessCalendar(name="built-in", subdivision="")


def due_times(service_type: ServiceType, start: datetime) -> tuple[datetime | None, datetime | None]:
    """(warning time, expected completion) for a request filed at ``start``; (None, None) without a standard."""
    if not service_type.target_hours:
        return None, None
    hours = service_type.target_hours
    warn_hours = hours * service_type.warning_percent / 100
    if service_type.standard_basis == ServiceType.Basis.BUSINESS:
        calendar = calendar_for(service_type)
        return add_business_hours(calendar, start, warn_hours), add_business_hours(calendar, start, hours)
    return start + timedelta(hours=warn_hours), start + timedelta(hours=hours)
