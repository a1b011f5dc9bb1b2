from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from civic311.catalog.models import BusinessCalendar, ClosedDay
from civic311.catalog.standards import add_business_hours, due_times
from civic311.catalog.tests.factories import ServiceTypeFactory

pytestmark = pytest.mark.django_db
CITY = ZoneInfo(settings.TIME_ZONE)  # the city's zone: New York in every test run (conftest.py pins it)


def at(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=CITY)


@pytest.fixture
def city_hall():
    return BusinessCalendar.objects.create(name="City Hall", is_default=True)  # Mon-Fri 8:30-4:30, US/MA


def test_business_hours_skip_nights_and_weekends(city_hall):
    # Friday 3:30 pm + 2 working hours: one hour Friday, one hour Monday from 8:30.
    assert add_business_hours(city_hall, at(2026, 11, 13, 15, 30), 2) == at(2026, 11, 16, 9, 30)
    # Filed Saturday: the clock starts Monday at opening.
    assert add_business_hours(city_hall, at(2026, 11, 14, 10), 1) == at(2026, 11, 16, 9, 30)
    # Filed before opening counts from opening.
    assert add_business_hours(city_hall, at(2026, 11, 17, 6), 8) == at(2026, 11, 17, 16, 30)


def test_business_hours_skip_state_holidays_and_closed_days(city_hall):
    # Patriots' Day (Massachusetts), Monday 20 April 2026.
    assert add_business_hours(city_hall, at(2026, 4, 17, 16), 1) == at(2026, 4, 21, 9)
    # Thanksgiving is a US holiday; a snow day the city declares is a closed day.
    ClosedDay.objects.create(calendar=city_hall, date=date(2026, 11, 27), name="Snow emergency")
    assert add_business_hours(city_hall, at(2026, 11, 25, 16), 1) == at(2026, 11, 30, 9)


def test_a_pothole_in_business_hours_is_due_48_working_hours_later(city_hall):
    st = ServiceTypeFactory(target_hours=48, standard_basis="business", warning_percent=50)
    warning, due = due_times(st, at(2026, 11, 16, 8, 30))  # Monday morning, 8 working hours a day
    assert due == at(2026, 11, 23, 16, 30)  # six 8-hour working days: Mon to Fri, then Monday
    assert warning == at(2026, 11, 18, 16, 30)  # 24 working hours: Mon, Tue, Wed


def test_calendar_standards_add_plain_hours_and_no_standard_means_no_due_time():
    st = ServiceTypeFactory(target_hours=48, warning_percent=75)
    warning, due = due_times(st, at(2026, 11, 14, 10))
    assert due - at(2026, 11, 14, 10) == timedelta(hours=48)
    assert warning - at(2026, 11, 14, 10) == timedelta(hours=36)
    assert due_times(ServiceTypeFactory(target_hours=None), at(2026, 11, 14)) == (None, None)


def test_without_a_calendar_business_hours_use_the_built_in_week():
    st = ServiceTypeFactory(target_hours=1, standard_basis="business")
    assert due_times(st, at(2026, 11, 14, 10))[1] == at(2026, 11, 16, 9, 30)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"opens": time(17), "closes": time(9)}, "closes"),
        ({"country": "XX"}, "country"),
        ({"workdays": "0,1,9"}, "workdays"),
    ],
)
def test_a_calendar_that_cannot_work_is_refused(fields, field):
    calendar = BusinessCalendar(name="Bad", **fields)
    with pytest.raises(ValidationError) as caught:
        calendar.full_clean()
    assert field in caught.value.message_dict
