"""Private services, private answers and photos: what public output shows, and what intake asks.

Every public door is tried: the portal's list, map, track page, "already reported?" hint and follow
form, and Open311 GET (search, by id, one request, with and without extensions, JSON and XML).
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from civic311.catalog.tests.factories import AttributeFactory, ServiceTypeFactory, ValueFactory
from civic311.open311.models import ApiKey, Application
from civic311.open311.tests.helpers import BASE, body, error_texts
from civic311.service_requests import actions
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.tests.factories import file_request

pytestmark = pytest.mark.django_db
CREW = actions.Actor("crew")
BILL = "BILL-4417-2291"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CIVIC311_PUBLIC_URL = "https://311.example.org"


@pytest.fixture
def tax_question(db):
    """A private, non-location service that promises a callback, with a private bill number."""
    st = ServiceTypeFactory(
        service_code="TAX-BILL", name="Tax bill question", is_private=True, needs_location=False,
        promises_callback=True,
    )  # fmt: skip
    kind = AttributeFactory(service_type=st, code="bill_type", datatype="singlevaluelist", required=True, order=1)
    ValueFactory(attribute=kind, key="excise", name="Motor vehicle excise")
    AttributeFactory(service_type=st, code="bill_number", datatype="string", is_private=True, order=2)
    return st


def file_tax(st, **fields):
    data = {"lat": "", "long": "", "phone": "617-555-0199", "description": f"My bill {BILL} is wrong",
            "address_string": "7 Secret Lane", "attributes": {"bill_number": [BILL]}, **fields}  # fmt: skip
    return file_request(st, **data)


def test_a_private_services_requests_are_in_no_public_list_map_or_search(client, pothole, tax_question):
    public = file_request(pothole, address_string="12 Main St")
    private = file_tax(tax_question)
    recent = client.get(reverse("portal:recent")).content.decode()
    assert public.tracking_number in recent
    assert private.tracking_number not in recent and "7 Secret Lane" not in recent and "Tax bill" not in recent
    found = body(client.get(f"{BASE}/requests.json", {"extensions": "true"}))
    assert [r["service_request_id"] for r in found] == [public.tracking_number]
    by_id = body(client.get(f"{BASE}/requests.json", {"service_request_id": private.tracking_number}))
    assert by_id == []
    by_code = client.get(f"{BASE}/requests.json", {"service_code": "TAX-BILL"})
    assert (by_code.status_code, body(by_code)) == (200, [])
    for fmt in ("json", "xml"):
        one = client.get(f"{BASE}/requests/{private.tracking_number}.{fmt}", {"extensions": "true"})
        assert one.status_code == 404 and BILL not in one.content.decode()
        assert error_texts(one) == [f"service_request_id '{private.tracking_number}' was not found."]


def test_the_track_page_of_a_private_request_shows_its_status_only(client, tax_question):
    sr = file_tax(tax_question)
    actions.add_note(sr, actor=CREW, note=f"Abatement for {BILL} approved", public=True)
    page = client.get(reverse("portal:track", args=[sr.tracking_number]))
    text = page.content.decode()
    assert page.status_code == 200 and 'id="status">New<' in text and "This request is private" in text
    for secret in (BILL, "7 Secret Lane", "Tax bill question", "Abatement", "617-555-0199", "Public Works"):
        assert secret not in text, secret
    assert "Follow this request" not in text
    follow = client.post(reverse("portal:follow", args=[sr.tracking_number]), {"email": "nosy@example.org"})
    assert follow.status_code == 404 and not sr.followers.exists()


def test_the_already_reported_hint_never_offers_a_private_request(client, tax_question):
    tax_question.needs_location = True
    tax_question.save()
    sr = file_tax(tax_question, lat="42.37", long="-71.10")
    hint = client.get(reverse("portal:nearby", args=["TAX-BILL"]), {"lat": "42.37", "long": "-71.10"})
    assert hint.status_code == 200 and sr.tracking_number not in hint.content.decode()
    tax_question.is_private = False
    tax_question.save()  # the same request of a public service is offered, so the test can tell
    hint = client.get(reverse("portal:nearby", args=["TAX-BILL"]), {"lat": "42.37", "long": "-71.10"})
    assert sr.tracking_number in hint.content.decode()


def test_the_reporting_application_reads_back_its_own_private_requests_when_the_service_allows(client, tax_question):
    mine, theirs = (Application.objects.create(name=name) for name in ("City app", "Other app"))
    mine_key, theirs_key = ApiKey.issue(mine)[1], ApiKey.issue(theirs)[1]
    posted = {
        "service_code": "TAX-BILL",
        "api_key": mine_key,
        "email": "rosa@example.org",
        "attribute[bill_type]": "excise",
        "attribute[bill_number]": BILL,
        "description": "Wrong amount",
    }
    answer = client.post(f"{BASE}/requests.json", posted)
    assert answer.status_code == 200, answer.content
    sr = ServiceRequest.objects.get()
    assert sr.application == mine and sr.lat is None  # no place needed for a tax question
    number = sr.tracking_number

    def read(key):
        params = {"extensions": "true", **({"api_key": key} if key else {})}
        return client.get(f"{BASE}/requests/{number}.json", params)

    assert read(mine_key).status_code == 404  # the city has not allowed it yet
    tax_question.private_readable_by_application = True
    tax_question.save()
    own = body(read(mine_key))[0]
    assert own["attributes"] == {"bill_type": "excise", "bill_number": BILL} and own["description"] == "Wrong amount"
    assert [r["service_request_id"] for r in body(client.get(f"{BASE}/requests.json", {"api_key": mine_key}))] == [
        number
    ]
    assert read(theirs_key).status_code == 404 and read("").status_code == 404
    assert body(client.get(f"{BASE}/requests.json", {"api_key": theirs_key})) == []
    refused = read("not-a-key")
    assert refused.status_code == 403 and error_texts(refused) == [
        "api_key is not valid; leave it out to read public requests."
    ]


def test_private_answers_of_a_public_service_are_kept_from_open311(client, pothole):
    AttributeFactory(service_type=pothole, code="account", datatype="string", is_private=True, order=3)
    sr = file_request(pothole, attributes={"size": ["large"], "account": ["ACCT-99"]})
    for fmt in ("json", "xml"):
        response = client.get(f"{BASE}/requests/{sr.tracking_number}.{fmt}", {"extensions": "true"})
        assert response.status_code == 200 and "ACCT-99" not in response.content.decode()
    assert body(client.get(f"{BASE}/requests.json", {"extensions": "true"}))[0]["attributes"] == {"size": "large"}


def photo_file():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (120, 90, 60)).save(buffer, "PNG")
    return SimpleUploadedFile("pothole.png", buffer.getvalue(), content_type="image/png")


def post_with_photo(client, code, **extra):
    data = {"lat": "42.3736", "long": "-71.1097", "attr_size": "large", "photo": photo_file(), **extra}
    response = client.post(reverse("portal:request", args=[code]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ServiceRequest.objects.latest("pk")


def shown_photo(client, sr) -> tuple[bool, str | None]:
    """(on the track page, Open311's media_url)."""
    page = client.get(reverse("portal:track", args=[sr.tracking_number])).content.decode()
    api = body(client.get(f"{BASE}/requests/{sr.tracking_number}.json"))[0]["media_url"]
    return sr.media_url in page, api


def test_a_photo_is_public_only_once_staff_approve_it(client, pothole):
    sr = post_with_photo(client, "POTHOLE")
    assert sr.media_url and shown_photo(client, sr) == (False, None)
    actions.approve_photo(sr, actor=CREW)
    assert shown_photo(client, sr) == (True, sr.media_url)
    event = sr.events.latest("pk")
    assert (event.note, event.is_public, event.actor_label) == ("Photo approved for public view.", False, "crew")
    with pytest.raises(actions.TransitionRefused, match="already approved"):
        actions.approve_photo(sr, actor=CREW)


def test_a_service_that_needs_no_approval_shows_photos_at_once_and_a_private_one_never(client, pothole, tax_question):
    pothole.photos_need_approval = False
    pothole.save()
    sr = post_with_photo(client, "POTHOLE")
    assert shown_photo(client, sr) == (True, sr.media_url)
    secret = file_tax(tax_question, media_url="https://example.org/bill.jpg")
    with pytest.raises(actions.TransitionRefused, match="private service; its photos are never public"):
        actions.approve_photo(secret, actor=CREW)
    with pytest.raises(actions.TransitionRefused, match="has no photo"):
        actions.approve_photo(file_request(pothole), actor=CREW)
    page = client.get(reverse("portal:track", args=[secret.tracking_number])).content.decode()
    assert "bill.jpg" not in page


def test_a_service_without_a_place_does_not_ask_where_and_a_callback_needs_a_contact(client, tax_question):
    form = client.get(reverse("portal:request", args=["TAX-BILL"])).content.decode()
    assert "Where is it?" not in form and 'id="map"' not in form and 'name="address_string"' not in form
    assert 'id="callback-note"' in form and "How can we reach you? (optional)" not in form
    refused = client.post(reverse("portal:request", args=["TAX-BILL"]), {"attr_bill_type": "excise"})
    text = refused.content.decode()
    assert refused.status_code == 400 and not ServiceRequest.objects.exists()
    assert "a phone number or an email is required: this service calls or writes back." in text
    assert "Mark the place on the map" not in text
    filed = client.post(reverse("portal:request", args=["TAX-BILL"]), {"attr_bill_type": "excise",
                                                                      "email": "rosa@example.org"})  # fmt: skip
    assert filed.status_code == 302
    sr = ServiceRequest.objects.get()
    assert (sr.lat, sr.address, sr.email) == (None, "", "rosa@example.org")


def test_open311_post_needs_no_place_for_a_tax_question_but_a_contact_for_its_callback(client, tax_question, api_key):
    base = {"service_code": "TAX-BILL", "api_key": api_key, "attribute[bill_type]": "excise"}
    refused = client.post(f"{BASE}/requests.json", base)
    assert refused.status_code == 400 and error_texts(refused) == [
        "phone: a phone number or an email is required: this service calls or writes back."
    ]
    assert not ServiceRequest.objects.exists()
    assert client.post(f"{BASE}/requests.json", {**base, "phone": "617-555-0100"}).status_code == 200


def test_the_public_form_says_the_description_is_public_and_a_private_one_does_not(client, pothole, tax_question):
    public = client.get(reverse("portal:request", args=["POTHOLE"])).content.decode()
    assert "Shown publicly with the request: leave out names, account and bill numbers." in public
    private = client.get(reverse("portal:request", args=["TAX-BILL"])).content.decode()
    assert "Shown publicly" not in private


def test_the_console_asks_no_place_for_a_tax_question(client, tax_question, personas):
    from civic311.contacts import actions as contact_actions

    contact = contact_actions.start(personas.csr, caller_phone="617-555-0123")
    client.force_login(personas.csr)
    panel = client.get(reverse("console:contact", args=[contact.pk]), {"service": "TAX-BILL"}).content.decode()
    assert 'name="address_string"' not in panel and 'id="callback-note"' in panel
    filed = client.post(reverse("console:request", args=[contact.pk]), {"service": "TAX-BILL", "attr_bill_type":
                                                                        "excise"})  # fmt: skip
    assert filed.status_code == 302
    assert ServiceRequest.objects.get().phone == "617-555-0123"  # the caller's number: the callback is possible


def test_nobody_joins_a_private_request(client, tax_question, personas):
    from civic311.contacts import actions as contact_actions

    sr = file_tax(tax_question)
    with pytest.raises(actions.TransitionRefused, match="is private; file the caller's own request instead"):
        actions.join(sr, actor=CREW, email="stranger@example.org")
    contact = contact_actions.start(personas.csr, caller_email="stranger@example.org")
    client.force_login(personas.csr)
    response = client.post(reverse("console:join", args=[contact.pk]), {"number": sr.tracking_number}, follow=True)
    assert "is private; file the caller&#x27;s own request instead." in response.content.decode()
    assert not sr.followers.exists()
