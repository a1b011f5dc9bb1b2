"""Warning and breach notices: once per threshold, only for open requests, to the escalation contact."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civic311.notifications.models import Message
from civic311.service_requests import actions
from civic311.service_requests.tests.factories import file_request
from civic311.service_requests.watch import check_standards

pytestmark = pytest.mark.django_db


@pytest.fixture
def pothole_with_contact(pothole):
    pothole.escalation_email = "dpw-supervisor@example.org"
    pothole.save()
    return pothole


def test_a_request_reaching_warning_then_breach_notifies_once_each(pothole_with_contact):
    filed = timezone.now() - timedelta(hours=40)  # past the 36 h warning, before the 48 h standard
    sr = file_request(pothole_with_contact, requested_at=filed)
    assert check_standards() == {"warning": 1, "breach": 0}
    assert check_standards() == {"warning": 0, "breach": 0}
    later = filed + timedelta(hours=49)
    assert check_standards(now=later) == {"warning": 0, "breach": 1}
    assert check_standards(now=later + timedelta(hours=5)) == {"warning": 0, "breach": 0}
    kinds = list(Message.objects.order_by("id").values_list("kind", "to"))
    assert kinds == [
        ("standard_warning", "dpw-supervisor@example.org"),
        ("standard_breach", "dpw-supervisor@example.org"),
    ]
    breach = Message.objects.get(kind="standard_breach")
    assert sr.tracking_number in breach.subject and "OVERDUE" in breach.subject
    notes = list(sr.events.filter(is_public=False).values_list("note", flat=True))
    assert notes == [
        "Warning notice sent to dpw-supervisor@example.org.",
        "Breach notice sent to dpw-supervisor@example.org.",
    ]


def test_closed_requests_and_requests_without_a_standard_are_left_alone(pothole_with_contact, bulk_item):
    filed = timezone.now() - timedelta(days=5)
    done = file_request(pothole_with_contact, requested_at=filed)
    actions.close(done, actor=actions.SYSTEM, note="Done")
    file_request(bulk_item, attributes={"items": ["sofa"]}, requested_at=filed)  # no standard
    assert check_standards() == {"warning": 0, "breach": 0}
    assert Message.objects.count() == 0


def test_without_a_contact_the_department_address_is_used_or_the_gap_is_noted(pothole):
    filed = timezone.now() - timedelta(days=3)
    sr = file_request(pothole, requested_at=filed)
    check_standards()
    assert Message.objects.count() == 0
    assert "no escalation contact" in sr.events.filter(is_public=False).last().note
    pothole.department.email = "dpw@example.org"
    pothole.department.save()
    file_request(pothole, requested_at=filed)
    check_standards()
    assert set(Message.objects.values_list("to", flat=True)) == {"dpw@example.org"}


def test_imported_history_does_not_page_anyone(pothole_with_contact):
    sr = file_request(pothole_with_contact, requested_at=timezone.now() - timedelta(days=3))
    actions.record_standard_notice(sr, actions.BREACH)
    assert actions.record_standard_notice(sr, actions.BREACH) is False  # already recorded


def test_a_backlog_drains_in_bounded_rounds(pothole_with_contact):
    filed = timezone.now() - timedelta(days=3)
    for _ in range(5):
        file_request(pothole_with_contact, requested_at=filed)
    assert check_standards(limit=2) == {"warning": 2, "breach": 2}
    assert check_standards(limit=2) == {"warning": 2, "breach": 2}
    assert check_standards(limit=2) == {"warning": 1, "breach": 1}
    assert check_standards(limit=2) == {"warning": 0, "breach": 0}
