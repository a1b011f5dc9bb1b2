from urllib.parse import urlencode

import pytest
from django.utils import timezone

from civic311.open311.models import ApiKey
from civic311.open311.tests.helpers import BASE, body, error_texts
from civic311.service_requests.models import ServiceRequest, ServiceRequestEvent

pytestmark = pytest.mark.django_db
URL = f"{BASE}/requests.json"


def post(client, data, url=URL, **extra):
    return client.post(url, data, **extra)


def good(key, **overrides):
    data = {
        "api_key": key,
        "service_code": "POTHOLE",
        "lat": "42.3736",
        "long": "-71.1097",
        "attribute[size]": "large",
        "description": "Deep hole by the hydrant",
        "email": "resident@example.org",
        "first_name": "Ana",
        "last_name": "Reyes",
        "phone": "617-555-0199",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_posting_a_realtime_request_answers_its_id_and_notice(client, pothole, api_key):
    pothole.service_notice = "Potholes are repaired within 48 hours."
    pothole.save()
    response = post(client, good(api_key))
    assert response.status_code == 200
    [answer] = body(response)
    sr = ServiceRequest.objects.get()
    assert answer == {
        "service_request_id": sr.tracking_number,
        "service_notice": "Potholes are repaired within 48 hours.",
        "account_id": None,
    }
    assert sr.channel == "mobile"  # the application's channel
    assert sr.events.get().actor_label == "api:Partner app"
    assert (sr.first_name, sr.email, sr.attributes) == ("Ana", "resident@example.org", {"size": "large"})


def test_a_batch_service_answers_a_token_that_resolves_to_the_request(client, bulk_item, api_key):
    data = good(api_key, service_code="BULK", **{"attribute[size]": None})
    data["attribute[items][]"] = ["sofa", "fridge"]
    response = post(client, data, url=f"{BASE}/requests.xml")
    assert response.status_code == 200
    root = body(response)
    assert root.tag == "service_requests"
    token = root.find("request").findtext("token")
    assert root.find("request").find("service_request_id") is None
    sr = ServiceRequest.objects.get()
    assert sr.attributes == {"items": ["sofa", "fridge"]}
    tok = client.get(f"{BASE}/tokens/{token}.json")
    assert body(tok) == [{"service_request_id": sr.tracking_number, "token": token}]
    assert client.get(f"{BASE}/tokens/{token}.xml").status_code == 200


def test_unknown_and_malformed_tokens_are_404(client, db):
    for token in ("8a0c5f9e-3d71-4e0b-9d53-2b7a3f1c0d11", "nope"):
        response = client.get(f"{BASE}/tokens/{token}.json")
        assert response.status_code == 404
        assert "was not found" in error_texts(response)[0]


def test_the_api_key_may_come_in_the_query_string(client, pothole, api_key):
    data = good(api_key)
    del data["api_key"]
    response = post(client, data, url=f"{URL}?api_key={api_key}")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("key", "message"), [(None, "api_key was not provided"), ("wrong-key", "api_key is not valid")]
)
def test_a_missing_or_wrong_api_key_is_403_and_writes_nothing(client, pothole, api_key, key, message):
    response = post(client, good(api_key, api_key=key))
    assert response.status_code == 403
    assert message in error_texts(response)[0]
    assert ServiceRequest.objects.count() == 0


def test_a_revoked_key_or_inactive_application_is_refused(client, pothole, api_key):
    ApiKey.objects.update(revoked_at=timezone.now())
    assert post(client, good(api_key)).status_code == 403
    ApiKey.objects.update(revoked_at=None)
    ApiKey.objects.get().application.__class__.objects.update(is_active=False)
    assert post(client, good(api_key)).status_code == 403


def test_an_unknown_jurisdiction_is_404(client, pothole, api_key, settings):
    response = post(client, good(api_key, jurisdiction_id="elsewhere.gov"))
    assert response.status_code == 404
    assert "'elsewhere.gov' is not served here" in error_texts(response)[0]
    assert post(client, good(api_key, jurisdiction_id=settings.CIVIC311_JURISDICTION_ID)).status_code == 200


BAD_INPUTS = [
    pytest.param({"service_code": "NOPE"}, "service_code: 'NOPE' is not a service offered here", id="unknown code"),
    pytest.param({"service_code": None}, "service_code: is required", id="no service code"),
    pytest.param({"lat": None, "long": None}, "a location is required", id="missing location"),
    pytest.param({"lat": "142.0"}, "lat: 142.0 is out of range", id="lat out of range"),
    pytest.param({"long": "-190"}, "long: -190 is out of range", id="long out of range"),
    pytest.param({"attribute[size]": None}, "attribute[size]: is required", id="required attribute missing"),
    pytest.param({"attribute[size]": "huge"}, "attribute[size]: 'huge' is not one of the allowed", id="not allowed"),
    pytest.param({"attribute[colour]": "red"}, "attribute[colour]: is not a question", id="unknown attribute"),
    pytest.param({"attribute[]": "x"}, "needs a code inside the brackets", id="attribute without code"),
    pytest.param({"description": "x" * 4001}, "description: is 4001 characters long", id="4001 characters"),
    pytest.param({"description": "<img src=x onerror=alert(1)>"}, "description: contains HTML", id="html"),
    pytest.param({"first_name": "<b>Ana</b>"}, "first_name: contains HTML", id="html in a name"),
    pytest.param({"email": "ana@"}, "email: 'ana@' is not a valid email", id="bad email"),
    pytest.param({"media_url": "ftp://x/y.jpg"}, "media_url: is not a valid http(s) URL", id="bad media url"),
]


@pytest.mark.parametrize(("overrides", "message"), BAD_INPUTS)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_input_is_a_400_with_a_precise_message_and_writes_nothing(
    client, pothole, api_key, overrides, message, fmt
):
    response = post(client, good(api_key, **overrides), url=f"{BASE}/requests.{fmt}")
    assert response.status_code == 400
    texts = error_texts(response)
    assert any(message in text for text in texts), texts
    assert ServiceRequest.objects.count() == 0
    assert ServiceRequestEvent.objects.count() == 0


def test_every_problem_is_reported_at_once(client, pothole, api_key):
    response = post(client, good(api_key, lat="999", description="<p>x</p>", **{"attribute[size]": None}))
    texts = error_texts(response)
    assert len(texts) == 3
    assert {t.split(":")[0] for t in texts} == {"lat", "description", "attribute[size]"}


def test_invalid_utf8_in_the_body_is_refused(client, pothole, api_key):
    raw = f"api_key={api_key}&service_code=POTHOLE&lat=42&long=-71&attribute[size]=large&description=caf%E9".encode()
    response = client.post(URL, raw, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "not valid UTF-8" in error_texts(response)[0]
    raw_bytes = b"api_key=" + api_key.encode() + b"&service_code=POTHOLE&description=caf\xe9"
    response = client.post(URL, raw_bytes, content_type="application/x-www-form-urlencoded")
    assert "not valid UTF-8" in error_texts(response)[0]
    assert ServiceRequest.objects.count() == 0


def test_utf8_text_in_any_language_is_kept(client, pothole, api_key):
    text = "Bache enorme en la calle — 深い穴 🚧"
    assert post(client, good(api_key, description=text)).status_code == 200
    assert ServiceRequest.objects.get().description == text


def test_an_enormous_body_is_refused_before_it_is_read(client, pothole, api_key, settings):
    data = good(api_key, description="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10))
    response = post(client, data)
    assert response.status_code == 413
    assert "larger than" in error_texts(response)[0]
    assert ServiceRequest.objects.count() == 0


def test_too_many_parameters_are_refused(client, pothole, api_key):
    data = good(api_key)
    data.update({f"x{i}": "1" for i in range(300)})
    response = post(client, data)
    assert response.status_code == 400
    assert "Too many parameters" in error_texts(response)[0]


def test_a_json_body_is_refused_with_the_types_we_take(client, pothole, api_key):
    response = client.post(URL, {"service_code": "POTHOLE"}, content_type="application/json")
    assert response.status_code == 400
    assert "application/x-www-form-urlencoded" in error_texts(response)[0]


def test_urlencoded_and_multipart_posts_both_work(client, pothole, api_key):
    assert client.post(URL, good(api_key)).status_code == 200  # the test client sends multipart
    encoded = urlencode(good(api_key))
    assert client.post(URL, encoded, content_type="application/x-www-form-urlencoded").status_code == 200
    assert ServiceRequest.objects.count() == 2


def test_empty_optional_parameters_count_as_absent(client, pothole, api_key):
    response = post(client, good(api_key, email="", media_url="", phone="", address_string=""))
    assert response.status_code == 200


def test_an_address_id_alone_is_a_location(client, pothole, api_key):
    response = post(client, good(api_key, lat=None, long=None, address_id="ADDR-123"))
    assert response.status_code == 200
    assert ServiceRequest.objects.get().address_id == "ADDR-123"


def test_the_reporters_locale_is_kept_for_later_messages(client, pothole, api_key):
    post(client, good(api_key, locale="es_US"))
    post(client, good(api_key, locale="fi"))
    assert list(ServiceRequest.objects.order_by("id").values_list("language", flat=True)) == ["es", "en"]


def test_errors_are_english_unless_the_client_asks_for_spanish(client, pothole, api_key):
    english = post(client, good(api_key, email="not-an-email"))
    spanish = post(client, good(api_key, email="not-an-email"), HTTP_ACCEPT_LANGUAGE="es")
    assert english.status_code == spanish.status_code == 400
    assert "is not a valid email address" in " ".join(error_texts(english))
    assert "no es un correo electrónico válido" in " ".join(error_texts(spanish))
    assert not ServiceRequest.objects.exists()


def test_a_request_with_an_email_gets_its_confirmation_in_the_reporters_locale(client, pothole, api_key):
    from civic311.notifications.models import Message

    post(client, good(api_key, locale="es_US"))
    message = Message.objects.get()
    sr = ServiceRequest.objects.get()
    assert (message.to, message.language) == ("resident@example.org", "es")
    assert sr.tracking_number in message.subject and message.subject.startswith("[311] Recibimos")
