"""Each API key has an hourly allowance of calls; beyond it, a 429 in the Open311 error format."""

import pytest

from civic311.open311.models import ApiKey, Application
from civic311.open311.tests.helpers import BASE, error_texts
from civic311.portal.tests.throttling import clear_of_window_edge
from civic311.service_requests.models import ServiceRequest

pytestmark = pytest.mark.django_db


def filing(key, **extra):
    return {"api_key": key, "service_code": "POTHOLE", "lat": "42.3736", "long": "-71.1097",
            "attribute[size]": "large", **extra}  # fmt: skip


@pytest.fixture(autouse=True)
def _three_calls_an_hour(settings):
    settings.CIVIC311_API_KEY_CALLS_PER_HOUR = 3
    clear_of_window_edge(10)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_key_past_its_hourly_calls_gets_429_with_retry_after(client, pothole, api_key, fmt):
    url = f"{BASE}/requests.{fmt}"
    answers = [client.post(url, filing(api_key)).status_code for _ in range(3)]
    assert answers == [200, 200, 200]
    refused = client.post(url, filing(api_key))
    assert refused.status_code == 429
    assert error_texts(refused) == [
        f"api_key: its 3 calls per hour are used up; retry after {refused['Retry-After']} seconds."
    ]
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert refused["Content-Type"].startswith("text/xml" if fmt == "xml" else "application/json")
    assert ServiceRequest.objects.count() == 3


def test_bad_calls_count_and_other_keys_have_their_own_allowance(client, pothole, api_key):
    url = f"{BASE}/requests.json"
    assert [client.post(url, filing(api_key, lat="north")).status_code for _ in range(3)] == [400] * 3
    assert client.post(url, filing(api_key)).status_code == 429
    _, other = ApiKey.issue(Application.objects.create(name="Another app"))
    assert client.post(url, filing(other)).status_code == 200
    assert client.get(f"{BASE}/services.json").status_code == 200  # reading needs no key, and is not counted
