"""The department's actions: hold, assign, work orders, resolution codes, duplicates."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from civic311.catalog.models import Crew, Department, ResolutionCode
from civic311.catalog.tests.factories import ServiceTypeFactory
from civic311.service_requests import actions
from civic311.service_requests.models import EventKind, ServiceRequest
from civic311.service_requests.queries import distance_m, likely_duplicates
from civic311.service_requests.statuses import Status
from civic311.service_requests.tests.factories import file_request
from civic311.service_requests.validators import SubmissionInvalid

pytestmark = pytest.mark.django_db
CREW = actions.Actor("crew lead")


@pytest.fixture
def crew(pothole):
    return Crew.objects.create(department=pothole.department, name="Hot patch 2")


@pytest.fixture
def repaired():
    return ResolutionCode.objects.create(code="REPAIRED", name="Repaired")


def test_submitting_stores_the_warning_time_for_the_breach_finder(pothole):
    sr = file_request(pothole)
    assert sr.warning_at - sr.requested_at == timedelta(hours=36)  # 75% of 48 hours


def test_hold_needs_a_reason(pothole):
    sr = file_request(pothole)
    with pytest.raises(SubmissionInvalid, match="note: is required"):
        actions.hold(sr, actor=CREW, reason=" ")
    held = actions.hold(sr, actor=CREW, reason="Waiting for the gas company to mark the lines.")
    assert held.status == Status.ON_HOLD
    assert held.status_notes == "Waiting for the gas company to mark the lines."


def test_assigning_to_a_person_and_a_crew_leaves_an_internal_event(pothole, crew, supervisor):
    sr = actions.assign(file_request(pothole), actor=CREW, user=supervisor, crew=crew, note="Priority street")
    assert (sr.assigned_to, sr.crew) == (supervisor, crew)
    event = sr.events.last()
    assert (event.kind, event.is_public) == (EventKind.ASSIGNED, False)
    assert event.note == "Assigned to sam.supervisor and Hot patch 2. Priority street"
    cleared = actions.assign(sr, actor=CREW)
    assert (cleared.assigned_to, cleared.crew) == (None, None)


def test_a_crew_of_another_department_or_a_closed_request_cannot_be_assigned(pothole):
    parks = Crew.objects.create(department=Department.objects.create(name="Parks", slug="parks"), name="Arborists")
    sr = file_request(pothole)
    with pytest.raises(actions.TransitionRefused, match="belongs to Parks"):
        actions.assign(sr, actor=CREW, crew=parks)
    actions.close(sr, actor=CREW, note="Done")
    with pytest.raises(actions.TransitionRefused, match="reopen it before assigning"):
        actions.assign(sr, actor=CREW)


def test_closing_records_the_resolution_code(pothole, repaired):
    sr = actions.close(file_request(pothole), actor=CREW, note="Patched.", resolution=repaired)
    assert sr.resolution == repaired
    retired = ResolutionCode.objects.create(code="OLD", name="Old", is_active=False)
    with pytest.raises(actions.TransitionRefused, match="no longer in use"):
        actions.close(file_request(pothole), actor=CREW, note="x", resolution=retired)


def test_the_request_closes_when_its_last_work_order_is_done(pothole, crew, repaired):
    sr = file_request(pothole)
    first = actions.create_work_order(sr, actor=CREW, crew=crew, scheduled_for=date(2026, 12, 1), notes="Cold patch")
    second = actions.create_work_order(sr, actor=CREW, crew=crew)
    actions.complete_work_order(first, actor=CREW, notes="2 bags of cold patch")
    sr.refresh_from_db()
    assert sr.status == Status.NEW  # one work order still open
    first.refresh_from_db()
    assert first.notes == "Cold patch\n2 bags of cold patch"
    actions.complete_work_order(second, actor=CREW, close_note="Pothole filled.", resolution=repaired)
    sr.refresh_from_db()
    assert (sr.status, sr.status_notes, sr.resolution) == (Status.CLOSED, "Pothole filled.", repaired)
    with pytest.raises(actions.TransitionRefused, match="already complete"):
        actions.complete_work_order(second, actor=CREW)
    with pytest.raises(actions.TransitionRefused, match="reopen it before scheduling"):
        actions.create_work_order(sr, actor=CREW)
    kinds = list(sr.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.WORK_ORDER) == 4


def test_a_request_closed_by_hand_keeps_its_work_orders(pothole):
    sr = file_request(pothole)
    order = actions.create_work_order(sr, actor=CREW)
    actions.close(sr, actor=CREW, note="Resident fixed it.")
    actions.complete_work_order(order, actor=CREW)
    sr.refresh_from_db()
    assert sr.status_notes == "Resident fixed it."


# --- duplicates -----------------------------------------------------------------------------------


def test_distance_is_in_metres():
    assert distance_m(42.3736, -71.1097, 42.3736, -71.1097) == 0
    assert 1105 < distance_m(42.0, -71.0, 42.01, -71.0) < 1120  # 0.01° of latitude ≈ 1.11 km


def test_likely_duplicates_are_open_same_type_near_and_recent_nearest_first(pothole):
    pothole.duplicate_radius_m = 100
    pothole.duplicate_window_days = 14
    pothole.save()
    base_lat, base_long = 42.3736, -71.1097
    near = file_request(pothole, lat=str(base_lat + 0.0003), long=str(base_long))  # ~33 m
    nearer = file_request(pothole, lat=str(base_lat + 0.0001), long=str(base_long))  # ~11 m
    file_request(pothole, lat=str(base_lat + 0.002), long=str(base_long))  # ~220 m: too far
    old = file_request(
        pothole, lat=str(base_lat), long=str(base_long), requested_at=timezone.now() - timedelta(days=20)
    )
    closed = file_request(pothole, lat=str(base_lat), long=str(base_long))
    actions.close(closed, actor=CREW, note="Done")
    other_type = ServiceTypeFactory(service_code="LIGHT")
    file_request(other_type, lat=str(base_lat), long=str(base_long))
    found = likely_duplicates(pothole, base_lat, base_long)
    assert [sr for sr, _ in found] == [nearer, near]
    assert 10 < found[0][1] < 12
    assert old not in [sr for sr, _ in found]
    assert [sr for sr, _ in likely_duplicates(pothole, base_lat, base_long, exclude_pk=nearer.pk)] == [near]


def test_merging_makes_a_duplicate_that_follows_its_parent(pothole):
    parent, child, grandchild = file_request(pothole), file_request(pothole), file_request(pothole)
    actions.merge_duplicate(grandchild, child, actor=CREW)
    merged = actions.merge_duplicate(child, parent, actor=CREW)
    assert merged.status == Status.DUPLICATE and merged.parent == parent
    assert merged.status_notes == f"Already reported as {parent.tracking_number}; follow that request."
    grandchild.refresh_from_db()
    assert grandchild.parent == parent  # the chain is flattened onto the open parent
    assert set(parent.duplicates.all()) == {child, grandchild}
    assert parent.events.last().note == f"{child.tracking_number} merged into this request."


def test_merging_into_itself_a_closed_chain_or_another_service_is_refused(pothole):
    a, b = file_request(pothole), file_request(pothole)
    with pytest.raises(actions.TransitionRefused, match="into itself"):
        actions.merge_duplicate(a, a, actor=CREW)
    actions.merge_duplicate(b, a, actor=CREW)
    with pytest.raises(actions.TransitionRefused, match="is duplicate; merge into an open request"):
        actions.merge_duplicate(file_request(pothole), b, actor=CREW)
    actions.close(a, actor=CREW, note="Done")
    with pytest.raises(actions.TransitionRefused, match="is closed; merge into an open request"):
        actions.merge_duplicate(file_request(pothole), a, actor=CREW)
    other = file_request(ServiceTypeFactory(service_code="LIGHT"))
    with pytest.raises(actions.TransitionRefused, match="different services"):
        actions.merge_duplicate(other, file_request(pothole), actor=CREW)
    assert ServiceRequest.objects.filter(status=Status.DUPLICATE).count() == 1


def test_the_open311_extensions_show_a_merged_duplicate(client, pothole):
    parent, child = file_request(pothole), file_request(pothole)
    actions.merge_duplicate(child, parent, actor=CREW)
    [doc] = client.get(f"/open311/v2/requests/{child.tracking_number}.json", {"extensions": "true"}).json()
    assert doc["status"] == "closed"
    assert doc["extended_attributes"]["duplicate"] is True
    assert doc["extended_attributes"]["parent_service_request_id"] == parent.tracking_number
