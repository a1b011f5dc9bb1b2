"""The department's work pages: who may see what, and every form going through its action."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from civic311.catalog.models import Crew, Department, ResolutionCode
from civic311.catalog.tests.factories import ServiceTypeFactory
from civic311.service_requests.models import EventKind
from civic311.service_requests.statuses import Status
from civic311.service_requests.tests.factories import file_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpw_worker(django_user_model, pothole, roles):
    user = django_user_model.objects.create_user("dana.dpw", password="pw")
    user.groups.add(Group.objects.get(name="Department staff"))
    pothole.department.members.add(user)
    return user


@pytest.fixture
def parks_request(db):
    parks = Department.objects.create(name="Parks", slug="parks")
    return file_request(ServiceTypeFactory(service_code="TREE", department=parks))


def test_anonymous_users_are_sent_to_log_in_and_users_without_a_role_refused(client, django_user_model):
    response = client.get(reverse("work:queue"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(django_user_model.objects.create_user("nobody", password="pw"))
    assert client.get(reverse("work:queue")).status_code == 403
    assert client.get(reverse("insights:dashboard")).status_code == 403


def test_department_staff_see_only_their_departments_requests(client, dpw_worker, pothole, parks_request):
    mine = file_request(pothole)
    client.force_login(dpw_worker)
    page = client.get(reverse("work:queue")).content.decode()
    assert mine.tracking_number in page and parks_request.tracking_number not in page
    assert client.get(reverse("work:detail", args=[parks_request.pk])).status_code == 404
    client.post(reverse("work:bulk"), {"op": "acknowledge", "ids": [mine.pk, parks_request.pk]})
    mine.refresh_from_db()
    parks_request.refresh_from_db()
    assert (mine.status, parks_request.status) == (Status.ACKNOWLEDGED, Status.NEW)


def test_a_supervisor_sees_every_department(client, django_user_model, pothole, parks_request, roles):
    boss = django_user_model.objects.create_user("sam.boss", password="pw")
    boss.groups.add(Group.objects.get(name="Supervisor"))
    client.force_login(boss)
    assert parks_request.tracking_number in client.get(reverse("work:queue")).content.decode()
    assert client.get(reverse("work:detail", args=[parks_request.pk])).status_code == 200


def test_the_queue_filters_overdue_and_finds_a_tracking_number(client, dpw_worker, pothole):
    from datetime import timedelta

    from django.utils import timezone

    late = file_request(pothole, requested_at=timezone.now() - timedelta(days=3))
    fresh = file_request(pothole)
    client.force_login(dpw_worker)
    overdue = client.get(reverse("work:queue"), {"due": "overdue"}).content.decode()
    assert late.tracking_number in overdue and fresh.tracking_number not in overdue
    assert "Overdue" in overdue
    found = client.get(reverse("work:queue"), {"q": fresh.tracking_number}).content.decode()
    assert fresh.tracking_number in found and late.tracking_number not in found


def post(client, sr, **data):
    return client.post(reverse("work:detail", args=[sr.pk]), data, follow=True)


def test_a_requests_page_drives_every_action(client, dpw_worker, pothole):
    crew = Crew.objects.create(department=pothole.department, name="Hot patch 2")
    repaired = ResolutionCode.objects.create(code="REPAIRED", name="Repaired")
    sr = file_request(pothole)
    other = file_request(pothole)
    client.force_login(dpw_worker)
    assert client.get(reverse("work:detail", args=[sr.pk])).status_code == 200
    client.post(reverse("work:acknowledge", args=[sr.pk]))
    post(client, sr, op="assign", user=dpw_worker.pk, crew=crew.pk, note="")
    post(client, sr, op="note", note="Called the resident", public="")
    post(client, sr, op="work_order", crew=crew.pk, scheduled_for="2026-12-01", notes="Cold patch")
    response = post(client, sr, op="close", resolution="", note="Fixed")
    assert "Please correct the form" in response.content.decode()  # a resolution is required here
    order = sr.work_orders.get()
    response = post(client, sr, op="complete", order=order.pk, notes="2 bags", close_note="Pothole filled.")
    sr.refresh_from_db()
    assert (sr.status, sr.status_notes, sr.crew, sr.assigned_to) == (Status.CLOSED, "Pothole filled.", crew, dpw_worker)
    post(client, sr, op="reopen", note="It opened up again")
    post(client, sr, op="close", resolution=repaired.pk, note="Patched properly.")
    sr.refresh_from_db()
    assert (sr.status, sr.resolution) == (Status.CLOSED, repaired)
    response = post(client, other, op="merge", parent=sr.tracking_number, note="")
    assert "is closed; merge into an open request" in response.content.decode()
    response = post(client, other, op="merge", parent="99-00000000", note="")
    assert "No request has the tracking number" in response.content.decode()
    response = post(client, other, op="hold", reason="<b>x</b>", public="on")
    assert "HTML" in response.content.decode()
    kinds = set(sr.events.values_list("kind", flat=True))
    assert {EventKind.ASSIGNED, EventKind.NOTE, EventKind.WORK_ORDER, EventKind.CLOSED, EventKind.REOPENED} <= kinds
    assert sr.events.filter(actor=dpw_worker).exists()


def test_the_dashboard_and_its_exports(client, django_user_model, pothole, roles):
    boss = django_user_model.objects.create_user("sam.boss", password="pw")
    boss.groups.add(Group.objects.get(name="Supervisor"))
    client.force_login(boss)
    sr = file_request(pothole, address_string="12 Main St")
    page = client.get(reverse("insights:dashboard"))
    assert page.status_code == 200
    assert 'id="fig-opened">1<' in page.content.decode()
    bad = client.get(reverse("insights:dashboard"), {"start": "2026-12-01", "end": "2026-01-01"}).content.decode()
    assert "start date is after the end date; showing the last 30 days" in bad
    no_such_day = client.get(reverse("insights:drilldown"), {"end": "2026-02-30"})
    assert no_such_day.status_code == 200
    listing = client.get(reverse("insights:drilldown"), {"measure": "opened"}).content.decode()
    assert sr.tracking_number in listing
    csv_text = b"".join(client.get(reverse("insights:drilldown"), {"format": "csv"}).streaming_content).decode()
    assert csv_text.splitlines()[0].startswith("tracking_number,service_code")
    assert sr.tracking_number in csv_text
    import json

    geo = json.loads(b"".join(client.get(reverse("insights:drilldown"), {"format": "geojson"}).streaming_content))
    assert geo["features"][0]["geometry"]["coordinates"] == [-71.10, 42.37]
    assert geo["features"][0]["properties"]["tracking_number"] == sr.tracking_number


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/phish", "//evil.example/phish", "/\\evil.example", "https:evil.example",
     "javascript:alert(1)", "http://testserver.evil.example/"],
)  # fmt: skip
def test_bulk_actions_never_redirect_off_the_site(client, dpw_worker, pothole, next_url):
    sr = file_request(pothole)
    client.force_login(dpw_worker)
    response = client.post(reverse("work:bulk"), {"op": "acknowledge", "ids": [sr.pk], "next": next_url})
    assert response.status_code == 302 and response["Location"] == reverse("work:queue")


def test_bulk_actions_go_back_to_the_filtered_queue(client, dpw_worker, pothole):
    sr = file_request(pothole)
    client.force_login(dpw_worker)
    back = "/work/?status=new&sort=oldest"
    response = client.post(reverse("work:bulk"), {"op": "acknowledge", "ids": [sr.pk], "next": back})
    assert response["Location"] == back


@pytest.mark.parametrize(("path", "data"), [
    ("/accounts/login/", {"username": "dana.dpw", "password": "pw", "next": "https://evil.example/"}),
    ("/i18n/setlang/", {"language": "es", "next": "https://evil.example/"}),
])  # fmt: skip
def test_the_other_next_parameters_stay_on_the_site(client, dpw_worker, path, data):
    response = client.post(path, data)
    assert response.status_code == 302 and "evil.example" not in response["Location"]
