from datetime import timedelta

import pytest
from django.utils import timezone

from civic311.open311.tests.helpers import BASE, body, error_texts
from civic311.service_requests import actions
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.statuses import Status
from civic311.service_requests.tests.factories import file_request

pytestmark = pytest.mark.django_db
CREW = actions.Actor("crew")
PRIVATE = ("first_name", "last_name", "email", "phone", "device_id", "account_id")


def get(client, path, **params):
    return client.get(f"{BASE}/{path}", params)


def ids(response):
    return [r["service_request_id"] for r in body(response)]


# --- discovery, services, definitions ---------------------------------------------------------


def test_discovery_names_the_endpoint_and_both_formats(client, pothole):
    doc = body(get(client, "discovery.json"))
    [endpoint] = doc["endpoints"]
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["application/json", "text/xml"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    root = body(get(client, "discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == ["application/json", "text/xml"]


def test_the_service_list_shows_active_services_only(client, pothole, bulk_item):
    bulk_item.is_active = False
    bulk_item.save()
    [service] = body(get(client, "services.json"))
    assert service == {
        "service_code": "POTHOLE",
        "service_name": "Pothole",
        "description": None,
        "metadata": True,
        "type": "realtime",
        "keywords": None,
        "group": "Streets",
    }
    root = body(get(client, "services.xml"))
    assert root.tag == "services"
    assert root.find("service/metadata").text == "true"
    assert root.find("service/description").text is None


def test_a_service_definition_lists_its_questions_in_order(client, bulk_item):
    doc = body(get(client, "services/BULK.json"))
    assert doc["service_code"] == "BULK"
    codes = [a["code"] for a in doc["attributes"]]
    assert codes == ["items", "count", "seen_at", "info"]
    items = doc["attributes"][0]
    assert items["values"] == [
        {"key": "mattress", "name": "Mattress"},
        {"key": "sofa", "name": "Sofa"},
        {"key": "fridge", "name": "Fridge"},
    ]
    assert "values" not in doc["attributes"][1]
    assert doc["attributes"][3]["variable"] is False
    root = body(get(client, "services/BULK.xml"))
    assert root.tag == "service_definition"
    assert [v.findtext("key") for v in root.findall("attributes/attribute")[0].findall("values/value")] == [
        "mattress",
        "sofa",
        "fridge",
    ]


@pytest.mark.parametrize("path", ["services/NOPE.json", "services/NOPE.xml"])
def test_an_unknown_service_definition_is_404(client, db, path):
    response = get(client, path)
    assert response.status_code == 404
    assert "'NOPE' is not a service offered here" in error_texts(response)[0]


def test_an_unknown_method_or_format_is_an_open311_404(client, db):
    for path in ("services.csv", "nothing.json", "requests"):
        response = get(client, path)
        assert response.status_code == 404
        assert "is not an Open311 method" in error_texts(response)[0]


def test_a_wrong_http_method_is_405_with_allow(client, db):
    response = client.delete(f"{BASE}/services.json")
    assert response.status_code == 405
    assert response["Allow"] == "GET"


def test_an_unknown_jurisdiction_is_404_on_every_method(client, pothole):
    for path in ("services.json", "services/POTHOLE.json", "requests.json", "discovery.json"):
        response = get(client, path, jurisdiction_id="other.city")
        assert response.status_code == 404, path


# --- GET requests ------------------------------------------------------------------------------


def test_requests_default_to_the_last_90_days_newest_first(client, pothole):
    now = timezone.now()
    old = file_request(pothole, requested_at=now - timedelta(days=91))
    recent = file_request(pothole, requested_at=now - timedelta(days=2))
    newest = file_request(pothole, requested_at=now - timedelta(hours=1))
    assert ids(get(client, "requests.json")) == [newest.tracking_number, recent.tracking_number]
    assert old.tracking_number not in ids(get(client, "requests.json"))


def test_service_request_id_overrides_every_other_filter(client, pothole, bulk_item):
    old = file_request(pothole, requested_at=timezone.now() - timedelta(days=400))
    other = file_request(bulk_item, attributes={"items": ["sofa"]})
    response = get(
        client,
        "requests.json",
        service_request_id=f"{old.tracking_number}, {other.tracking_number},99-99999999,junk",
        service_code="NOPE-IGNORED",
        status="closed",
    )
    assert response.status_code == 200
    assert ids(response) == [other.tracking_number, old.tracking_number]


def test_filters_by_service_codes_and_status(client, pothole, bulk_item):
    a = file_request(pothole)
    b = file_request(bulk_item, attributes={"items": ["sofa"]})
    actions.close(b, actor=CREW, note="Picked up.")
    assert ids(get(client, "requests.json", service_code="POTHOLE")) == [a.tracking_number]
    assert set(ids(get(client, "requests.json", service_code="POTHOLE,BULK"))) == {a.tracking_number, b.tracking_number}
    assert ids(get(client, "requests.json", status="closed")) == [b.tracking_number]
    assert ids(get(client, "requests.json", status="open")) == [a.tracking_number]
    assert len(ids(get(client, "requests.json", status="open,closed"))) == 2
    assert len(ids(get(client, "requests.json", status=""))) == 2  # empty counts as absent


def test_a_duplicate_counts_as_closed_for_open311(client, pothole):
    sr = file_request(pothole)
    actions.change_status(sr, Status.DUPLICATE, actor=CREW, note="Already reported.")
    [doc] = body(get(client, "requests.json", status="closed"))
    assert doc["status"] == "closed"


def test_date_ranges_select_on_requested_time(client, pothole):
    now = timezone.now().replace(microsecond=0)
    march = file_request(pothole, requested_at=now - timedelta(days=200))
    june = file_request(pothole, requested_at=now - timedelta(days=120))
    start = (now - timedelta(days=210)).isoformat()
    end = (now - timedelta(days=150)).isoformat()
    assert ids(get(client, "requests.json", start_date=start, end_date=end)) == [march.tracking_number]
    # start alone: the 90 days after it; end alone: the 90 days before it.
    assert ids(get(client, "requests.json", start_date=start)) == [june.tracking_number, march.tracking_number]
    assert ids(get(client, "requests.json", end_date=(now - timedelta(days=100)).isoformat())) == [june.tracking_number]


def test_an_unencoded_plus_in_a_date_offset_is_read_as_meant(client, pothole):
    sr = file_request(pothole)
    day = timezone.localtime(sr.requested_at).date()
    query = f"start_date={day}T00:00:00 00:00&end_date={day + timedelta(days=2)}T00:00:00+00:00"
    response = client.get(f"{BASE}/requests.json?{query.replace(' ', '+')}")
    assert response.status_code == 200
    assert ids(response) == [sr.tracking_number]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start_date": "yesterday"}, "start_date: 'yesterday' is not a W3C date-time"),
        ({"end_date": "2026-13-45T00:00:00Z"}, "end_date: '2026-13-45T00:00:00Z' is not a W3C date-time"),
        ({"start_date": "2026-05-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "must not be after end_date"),
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "may span at most 90 days"),
        ({"status": "pending"}, "status: 'pending' must be open or closed"),
        ({"service_code": "POTHOLE,NOPE"}, "service_code: 'NOPE' is not a service of this jurisdiction"),
        ({"page_size": "1001"}, "page_size: '1001' must be a whole number from 1 to 1000"),
        ({"page": "0"}, "page: '0' must be a whole number"),
        ({"page": "-1"}, "page: '-1' must be a whole number"),
        ({"extensions": "yes"}, "extensions: 'yes' must be true or false"),
        (
            {"updated_after": "2026-02-01T00:00:00Z", "updated_before": "2026-01-01T00:00:00Z"},
            "updated_after: must be before",
        ),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_search_parameters_are_400_with_a_precise_message(client, pothole, params, message, fmt):
    response = get(client, f"requests.{fmt}", **params)
    assert response.status_code == 400
    assert any(message in text for text in error_texts(response)), error_texts(response)


def test_invalid_utf8_in_the_query_string_is_refused(client, pothole):
    response = client.get(f"{BASE}/requests.json?service_code=caf%E9")
    assert response.status_code == 400
    assert "not valid UTF-8" in error_texts(response)[0]


def test_pages_of_results(client, pothole):
    now = timezone.now()
    made = [file_request(pothole, requested_at=now - timedelta(hours=h)) for h in range(1, 6)]
    newest_first = [sr.tracking_number for sr in made]
    assert ids(get(client, "requests.json", page_size="2")) == newest_first[:2]
    assert ids(get(client, "requests.json", page_size="2", page="3")) == newest_first[4:]
    assert ids(get(client, "requests.json", page_size="2", page="4")) == []


def test_at_most_1000_results(client, pothole):
    sr = file_request(pothole)
    rows = [
        ServiceRequest(
            service_type=pothole, department=sr.department, requested_at=sr.requested_at, updated_at=sr.requested_at
        )
        for _ in range(1005)
    ]
    ServiceRequest.objects.bulk_create(rows)
    assert len(body(get(client, "requests.json"))) == 1000


def test_updated_after_finds_changes_and_drops_the_default_window(client, pothole):
    now = timezone.now()
    old = file_request(pothole, requested_at=now - timedelta(days=300))
    file_request(pothole, requested_at=now - timedelta(days=300))
    mark = timezone.now()
    actions.close(old, actor=CREW, note="Finally fixed.")
    response = get(client, "requests.json", updated_after=mark.isoformat())
    assert ids(response) == [old.tracking_number]
    before = get(client, "requests.json", updated_before=mark.isoformat())
    assert old.tracking_number not in ids(before)
    assert len(ids(before)) == 1


def test_a_sync_by_update_time_lists_the_latest_change_first(client, pothole):
    now = timezone.now()
    first = file_request(pothole, requested_at=now - timedelta(days=5))
    second = file_request(pothole, requested_at=now - timedelta(days=4))
    mark = timezone.now()
    actions.change_status(second, Status.ACKNOWLEDGED, actor=CREW, at=mark + timedelta(seconds=1))
    actions.change_status(first, Status.ACKNOWLEDGED, actor=CREW, at=mark + timedelta(seconds=2))
    assert ids(get(client, "requests.json", updated_after=mark.isoformat())) == [
        first.tracking_number,
        second.tracking_number,
    ]
    # With a requested-date window the order stays newest request first.
    window = {"updated_after": mark.isoformat(), "start_date": (now - timedelta(days=10)).isoformat()}
    assert ids(get(client, "requests.json", **window)) == [second.tracking_number, first.tracking_number]


def test_one_request_by_id_is_an_array_of_one(client, pothole):
    sr = file_request(pothole, email="private@example.org", first_name="Ana", phone="6175550100")
    response = get(client, f"requests/{sr.tracking_number}.json")
    [doc] = body(response)
    assert doc["service_request_id"] == sr.tracking_number
    assert doc["status"] == "open"
    assert doc["agency_responsible"] == "Public Works"
    assert doc["lat"] == 42.37 and doc["long"] == -71.10
    assert not set(PRIVATE) & set(doc)
    assert b"private@example.org" not in response.content and b"Ana" not in response.content
    root = body(get(client, f"requests/{sr.tracking_number}.xml"))
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == sr.tracking_number


@pytest.mark.parametrize("number", ["26-99999999", "garbage", "00-00000001"])
def test_an_unknown_request_is_404(client, pothole, number):
    file_request(pothole)
    response = get(client, f"requests/{number}.json")
    assert response.status_code == 404
    assert f"'{number}' was not found" in error_texts(response)[0]


def test_reporter_details_never_appear_in_lists(client, pothole):
    file_request(pothole, email="secret@example.org", last_name="Hidden", device_id="dev-1", account_id="acct-9")
    for fmt in ("json", "xml"):
        content = get(client, f"requests.{fmt}", extensions="true").content
        for secret in (b"secret@example.org", b"Hidden", b"dev-1", b"acct-9"):
            assert secret not in content


def test_extensions_add_channel_status_answers_and_the_public_history(client, pothole):
    parent = file_request(pothole)
    sr = file_request(pothole, attributes={"size": ["large"], "notes": ["by the curb"]}, channel="phone")
    actions.change_status(sr, Status.ACKNOWLEDGED, actor=CREW, note="internal only", public=False)
    actions.change_status(sr, Status.IN_PROGRESS, actor=CREW, note="Crew on site")
    ServiceRequest.objects.filter(pk=sr.pk).update(parent=parent)  # duplicates are merged by a later action
    actions.close(sr, actor=CREW, note="Filled.")
    [doc] = body(get(client, f"requests/{sr.tracking_number}.json", extensions="true"))
    assert doc["attributes"] == {"size": "large", "notes": "by the curb"}
    assert doc["extended_attributes"] == {
        "channel": "phone",
        "detailed_status": "closed",
        "duplicate": True,
        "parent_service_request_id": parent.tracking_number,
    }
    assert [(n["type"], n.get("description")) for n in doc["notes"]] == [
        ("opened", None),
        ("activity", "Crew on site"),
        ("closed", "Filled."),
    ]
    plain = body(get(client, f"requests/{sr.tracking_number}.json"))[0]
    assert "notes" not in plain and "extended_attributes" not in plain
    root = body(get(client, f"requests/{sr.tracking_number}.xml", extensions="true"))
    answers = {a.findtext("code"): a.findtext("value") for a in root.findall("request/attributes/attribute")}
    assert answers == {"size": "large", "notes": "by the curb"}
    assert [n.findtext("type") for n in root.findall("request/notes/note")] == ["opened", "activity", "closed"]


def test_dates_are_w3c_with_the_city_offset(client, pothole, settings):
    settings.TIME_ZONE = "America/Chicago"
    sr = file_request(pothole)
    [doc] = body(get(client, f"requests/{sr.tracking_number}.json"))
    assert doc["requested_datetime"][-6:] in {"-06:00", "-05:00"}
    assert len(doc["requested_datetime"]) == 25  # 2026-11-23T09:30:00-06:00


def test_a_page_of_requests_takes_a_fixed_number_of_queries(client, pothole, django_assert_max_num_queries):
    for _ in range(30):
        sr = file_request(pothole)
        actions.change_status(sr, Status.ACKNOWLEDGED, actor=CREW)
    # The requests, their service types, departments and parents, and the catalog's privacy settings.
    with django_assert_max_num_queries(5):
        assert len(body(get(client, "requests.json", extensions="true"))) == 30


def test_a_radius_search_answers_already_reported_nearest_first(client, pothole):
    pothole.duplicate_radius_m = 60
    pothole.save()
    near = file_request(pothole, lat="42.37030", long="-71.10")  # ~33 m north
    nearer = file_request(pothole, lat="42.37010", long="-71.10")  # ~11 m
    file_request(pothole, lat="42.3710", long="-71.10")  # ~110 m: outside 60 m
    done = file_request(pothole, lat="42.3700", long="-71.10")
    actions.close(done, actor=CREW, note="Filled.")
    found = get(client, "requests.json", service_code="POTHOLE", status="open", lat="42.37", long="-71.10")
    assert ids(found) == [nearer.tracking_number, near.tracking_number]
    wide = get(client, "requests.json", lat="42.37", long="-71.10", radius="200")
    assert len(ids(wide)) == 4
    assert ids(wide)[0] == done.tracking_number  # 0 m away, closed, found without a status filter


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"radius": "50"}, "radius: needs lat and long"),
        ({"lat": "42.3"}, "lat, long: both are needed"),
        ({"lat": "95", "long": "0"}, "lat, long: out of range"),
        ({"lat": "42.3", "long": "-71", "radius": "9000"}, "must be whole metres from 1 to 5000"),
    ],
)
def test_bad_radius_searches_are_400(client, db, params, message):
    response = get(client, "requests.json", **params)
    assert response.status_code == 400
    assert any(message in text for text in error_texts(response))
