"""The migration that brought confirmed followers keeps existing ones and removes the follow form's repeats."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("service_requests", "0010_sms_updates")]
AFTER = [("service_requests", "0011_follower_confirmation")]


def migrate(targets):
    """Move service_requests to ``targets``, every other app staying at its latest; the models as then."""
    executor = MigrationExecutor(connection)
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "service_requests"]
    executor.migrate(targets)
    return executor.loader.project_state(targets + others).apps


@pytest.mark.django_db(transaction=True)
def test_existing_followers_stay_confirmed_repeats_go_and_joined_lines_become_internal():
    old = migrate(BEFORE)
    Department = old.get_model("catalog", "Department")
    ServiceType = old.get_model("catalog", "ServiceType")
    Request = old.get_model("service_requests", "ServiceRequest")
    Follower = old.get_model("service_requests", "Follower")
    Event = old.get_model("service_requests", "ServiceRequestEvent")
    department = Department.objects.create(name="Public Works", slug="dpw")
    st = ServiceType.objects.create(service_code="POTHOLE", name="Pothole", department=department)
    at = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    sr = Request.objects.create(service_type=st, department=department, requested_at=at, updated_at=at)
    for n, email in enumerate(["a@example.org", "A@example.org", "b@example.org", "a@example.org", "", ""]):
        Follower.objects.create(request=sr, email=email, joined_at=at + timedelta(minutes=n))
        Event.objects.create(request=sr, at=at, kind="joined", note="Another resident reported it (web).",
                             actor_label="311 website")  # fmt: skip
    Event.objects.create(request=sr, at=at, kind="note", note="Crew booked.", actor_label="dpw")

    new = migrate(AFTER)
    Follower = new.get_model("service_requests", "Follower")
    Event = new.get_model("service_requests", "ServiceRequestEvent")
    kept = list(Follower.objects.order_by("joined_at").values_list("email", "joined_at", "confirmed_at"))
    assert [email for email, _, _ in kept] == ["a@example.org", "b@example.org", "", ""]
    assert all(confirmed == joined for _, joined, confirmed in kept)
    assert not Event.objects.filter(kind="joined", is_public=True).exists()
    assert Event.objects.filter(kind="joined").count() == 6  # the lines stay, for staff
    assert Event.objects.get(kind="note").is_public
