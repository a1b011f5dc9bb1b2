import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from civic311.open311.models import ApiKey, Application
from civic311.service_requests.statuses import Status
from civic311.service_requests.tests.factories import file_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("ada.admin", "a@example.org", "pw"))
    return client


def test_an_admin_issues_a_key_shown_once_and_revokes_it(admin_client_):
    app = Application.objects.create(name="Neighborhood app")
    response = admin_client_.post(
        reverse("admin:open311_application_changelist"), {"action": "issue_key", "_selected_action": [app.pk]}
    )
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    key = message.split(": ")[1].split(" ")[0]
    row = ApiKey.objects.authenticate(key)
    assert row is not None and row.application == app
    assert key not in str(ApiKey.objects.values_list("digest", "prefix"))  # only its digest is stored
    admin_client_.post(reverse("admin:open311_apikey_changelist"), {"action": "revoke", "_selected_action": [row.pk]})
    assert ApiKey.objects.authenticate(key) is None
    assert admin_client_.get(reverse("admin:open311_application_change", args=[app.pk])).status_code == 200


def test_acknowledging_from_the_admin_goes_through_the_action(admin_client_, pothole):
    fresh, done = file_request(pothole), file_request(pothole)
    from civic311.service_requests import actions

    actions.close(done, actor=actions.SYSTEM, note="Done")
    admin_client_.post(
        reverse("admin:service_requests_servicerequest_changelist"),
        {"action": "acknowledge", "_selected_action": [fresh.pk, done.pk]},
    )
    fresh.refresh_from_db()
    done.refresh_from_db()
    assert fresh.status == Status.ACKNOWLEDGED
    assert fresh.events.last().actor_label == "ada.admin"
    assert done.status == Status.CLOSED
    page = admin_client_.get(reverse("admin:service_requests_servicerequest_change", args=[fresh.pk]))
    assert page.status_code == 200
    assert b"acknowledged" in page.content.lower()
