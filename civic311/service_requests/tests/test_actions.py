from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from civic311.service_requests import actions
from civic311.service_requests.models import EventKind, ServiceRequest, ServiceRequestEvent
from civic311.service_requests.signals import request_event_committed
from civic311.service_requests.statuses import Status
from civic311.service_requests.tests.factories import file_request
from civic311.service_requests.validators import SubmissionInput, SubmissionInvalid

pytestmark = pytest.mark.django_db
CREW = actions.Actor("crew 7")


def test_submitting_a_pothole_sets_its_department_and_48_hour_due_time(pothole):
    sr = file_request(pothole, description="Deep hole by the hydrant", channel="phone")
    assert sr.status == Status.NEW
    assert sr.department == pothole.department
    assert sr.expected_at - sr.requested_at == timedelta(hours=48)
    assert sr.channel == "phone"
    assert sr.token is None  # realtime services answer with the id itself
    event = sr.events.get()
    assert (event.kind, event.to_status, event.actor_label) == (EventKind.SUBMITTED, Status.NEW, "system")


def test_a_batch_service_gets_a_token_and_no_due_time_without_a_standard(bulk_item):
    sr = file_request(bulk_item, attributes={"items": ["sofa", "fridge", "sofa"]})
    assert sr.token is not None
    assert sr.expected_at is None
    assert sr.attributes == {"items": ["sofa", "fridge"]}  # repeated answers count once


def test_an_invalid_submission_writes_nothing(pothole):
    with pytest.raises(SubmissionInvalid) as caught:
        actions.submit(pothole, SubmissionInput(description="x" * 4001))
    fields = {e.field for e in caught.value.errors}
    assert fields == {"lat", "description", "attribute[size]"}
    assert ServiceRequest.objects.count() == 0
    assert ServiceRequestEvent.objects.count() == 0


def test_tracking_numbers_are_year_and_id_and_a_wrong_year_finds_nothing(pothole):
    sr = file_request(pothole)
    year = timezone.localtime(sr.requested_at).year % 100
    assert sr.tracking_number == f"{year:02d}-{sr.pk:08d}"
    assert ServiceRequest.objects.get_by_tracking_number(sr.tracking_number) == sr
    assert ServiceRequest.objects.get_by_tracking_number(f"{(year + 1) % 100:02d}-{sr.pk:08d}") is None
    assert ServiceRequest.objects.get_by_tracking_number("not-a-number") is None


def test_acknowledging_then_closing_leaves_the_whole_history(pothole, supervisor):
    sr = file_request(pothole)
    actions.change_status(sr, Status.ACKNOWLEDGED, actor=actions.Actor.for_user(supervisor))
    actions.change_status(sr, Status.IN_PROGRESS, actor=CREW, note="Crew on the way", public=True)
    closed = actions.close(sr, actor=CREW, note="Filled with hot asphalt.")
    assert closed.status == Status.CLOSED
    assert closed.open311_status == "closed"
    assert closed.closed_at is not None
    assert closed.status_notes == "Filled with hot asphalt."
    kinds = list(sr.events.values_list("kind", "from_status", "to_status"))
    assert kinds == [
        (EventKind.SUBMITTED, "", Status.NEW),
        (EventKind.STATUS_CHANGED, Status.NEW, Status.ACKNOWLEDGED),
        (EventKind.STATUS_CHANGED, Status.ACKNOWLEDGED, Status.IN_PROGRESS),
        (EventKind.CLOSED, Status.IN_PROGRESS, Status.CLOSED),
    ]
    assert sr.events.all()[1].actor == supervisor


def test_an_internal_note_does_not_become_the_public_status_note(pothole):
    sr = file_request(pothole)
    actions.change_status(sr, Status.ON_HOLD, actor=CREW, note="Waiting for the gas company", public=False)
    sr.refresh_from_db()
    assert sr.status_notes == ""
    actions.add_note(sr, actor=CREW, note="Scheduled for Tuesday", public=True)
    sr.refresh_from_db()
    assert sr.status_notes == "Scheduled for Tuesday"
    assert sr.events.filter(is_public=False).count() == 1


def test_the_status_map_refuses_a_transition_with_a_clear_message(pothole):
    sr = file_request(pothole)
    actions.close(sr, actor=CREW, note="Done")
    with pytest.raises(actions.TransitionRefused, match="cannot go from closed to in_progress"):
        actions.change_status(sr, Status.IN_PROGRESS, actor=CREW)
    with pytest.raises(actions.TransitionRefused, match="already new"):
        actions.change_status(file_request(pothole), Status.NEW, actor=CREW)
    with pytest.raises(actions.TransitionRefused, match="not a status"):
        actions.change_status(sr, "finished", actor=CREW)


def test_closing_needs_a_public_note_and_only_closed_statuses(pothole):
    sr = file_request(pothole)
    with pytest.raises(SubmissionInvalid, match="note: is required"):
        actions.close(sr, actor=CREW, note="  ")
    with pytest.raises(actions.TransitionRefused):
        actions.close(sr, actor=CREW, note="x", status=Status.ON_HOLD)
    with pytest.raises(SubmissionInvalid, match="HTML"):
        actions.close(sr, actor=CREW, note="<script>alert(1)</script>")
    sr.refresh_from_db()
    assert sr.status == Status.NEW


def test_change_status_to_a_closed_status_goes_through_close(pothole):
    sr = file_request(pothole)
    referred = actions.change_status(sr, Status.REFERRED, actor=CREW, note="State road: MassDOT.")
    assert referred.status == Status.REFERRED
    assert referred.closed_at is not None
    assert sr.events.last().kind == EventKind.CLOSED


def test_reopening_puts_a_closed_request_back_in_the_queue(pothole):
    sr = file_request(pothole)
    with pytest.raises(actions.TransitionRefused, match="not closed"):
        actions.reopen(sr, actor=CREW, note="again")
    actions.close(sr, actor=CREW, note="Done")
    reopened = actions.reopen(sr, actor=CREW, note="The patch washed out.")
    assert reopened.status == Status.ACKNOWLEDGED
    assert reopened.closed_at is None
    assert sr.events.last().kind == EventKind.REOPENED


def test_events_are_append_only(pothole):
    event = file_request(pothole).events.get()
    event.note = "rewritten"
    with pytest.raises(RuntimeError, match="append-only"):
        event.save()


def test_the_event_signal_fires_only_after_commit(pothole, django_capture_on_commit_callbacks):
    heard = []

    def listener(sender, event, **kwargs):
        heard.append(event.kind)

    request_event_committed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            file_request(pothole)
        assert heard == [EventKind.SUBMITTED]
        heard.clear()
        with pytest.raises(RuntimeError), transaction.atomic():
            file_request(pothole)
            raise RuntimeError("crash after the write")
        assert heard == []
    finally:
        request_event_committed.disconnect(listener)
    assert ServiceRequest.objects.count() == 1


def test_actions_use_the_times_importers_give(pothole):
    then = timezone.now() - timedelta(days=30)
    sr = file_request(pothole, requested_at=then)
    actions.close(sr, actor=CREW, note="Done", at=then + timedelta(hours=5))
    sr.refresh_from_db()
    assert sr.requested_at == then
    assert sr.closed_at - sr.requested_at == timedelta(hours=5)


def test_an_unknown_channel_is_refused(pothole):
    with pytest.raises(SubmissionInvalid, match="'fax' is not a known channel"):
        file_request(pothole, channel="fax")
    assert ServiceRequest.objects.count() == 0
