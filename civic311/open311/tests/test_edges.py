"""The corners of parameter reading: encodings, odd attribute names, dates without zones."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from civic311.open311.tests.helpers import BASE, body, error_texts
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.tests.factories import file_request

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["attribute[size]]", "attributes", "attribute.size"])
def test_a_misspelt_attribute_parameter_is_named_in_the_error(client, pothole, api_key, name):
    data = {"api_key": api_key, "service_code": "POTHOLE", "address_string": "1 Main", name: "large"}
    response = client.post(f"{BASE}/requests.json", data)
    assert response.status_code == 400
    assert "write attributes as attribute[CODE]" in error_texts(response)[0]
    assert ServiceRequest.objects.count() == 0


def test_invalid_utf8_in_a_multipart_field_is_refused(client, pothole, api_key):
    boundary = "XyZ"
    parts = [("api_key", api_key.encode()), ("service_code", b"POTHOLE"), ("address_string", b"caf\xe9")]
    raw = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value + b"\r\n"
        for name, value in parts
    )
    raw += f"--{boundary}--\r\n".encode()
    response = client.post(f"{BASE}/requests.json", raw, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 400
    assert "not valid UTF-8" in error_texts(response)[0]
    assert ServiceRequest.objects.count() == 0


def test_a_date_without_a_zone_is_the_citys_local_time(client, pothole, settings):
    settings.TIME_ZONE = "America/Chicago"
    local = timezone.make_aware(datetime(2026, 11, 2, 9, 0))  # 9 am in Chicago
    sr = file_request(pothole, requested_at=local)
    inside = {"start_date": "2026-11-02T08:59:00", "end_date": "2026-11-02T09:01:00"}
    assert [r["service_request_id"] for r in body(client.get(f"{BASE}/requests.json", inside))] == [sr.tracking_number]
    # The same clock time read as UTC would be 3 am in Chicago and miss it.
    utc = {"start_date": "2026-11-02T08:59:00Z", "end_date": "2026-11-02T09:01:00Z"}
    assert body(client.get(f"{BASE}/requests.json", utc)) == []
    # A bare date is that day's local midnight.
    assert len(body(client.get(f"{BASE}/requests.json", {"start_date": "2026-11-02", "end_date": "2026-11-03"}))) == 1


def test_more_than_1000_ids_at_once_are_refused(client, db):
    ids = ",".join(f"26-{n:08d}" for n in range(1, 1002))
    response = client.get(f"{BASE}/requests.json", {"service_request_id": ids})
    assert response.status_code == 400
    assert "at most 1000 ids" in error_texts(response)[0]


def test_the_api_answers_browsers_from_any_origin(client, pothole):
    response = client.get(f"{BASE}/services.json")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.get(f"{BASE}/openapi.json")["Access-Control-Allow-Origin"] == "*"


def test_a_request_in_the_future_window_is_found_by_end_date_alone(client, pothole):
    sr = file_request(pothole, requested_at=timezone.now() - timedelta(days=1))
    end = (timezone.now() + timedelta(days=1)).isoformat()
    assert [r["service_request_id"] for r in body(client.get(f"{BASE}/requests.json", {"end_date": end}))] == [
        sr.tracking_number
    ]
