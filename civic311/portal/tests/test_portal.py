"""The resident portal through Django's test client: every page, both languages, and bad input."""

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from civic311.knowledge.actions import save_text
from civic311.knowledge.models import Article, ArticleView
from civic311.notifications.models import Message
from civic311.portal import throttle
from civic311.portal.tests.throttling import clear_of_window_edge
from civic311.service_requests.models import Follower, ServiceRequest
from civic311.service_requests.tests.factories import file_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CIVIC311_PUBLIC_URL = "https://311.example.org"


@pytest.fixture
def kb(db):
    trash = Article.objects.create(slug="trash-day")
    save_text(trash, "en", title="What day is my trash picked up?", answer="Once a week, by **7 am**.",
              keywords="garbage, collection")  # fmt: skip
    save_text(trash, "es", title="¿Qué día recogen mi basura?", answer="Una vez por semana, antes de las 7 am.",
              keywords="basura")  # fmt: skip
    hours = Article.objects.create(slug="city-hall-hours")
    save_text(hours, "en", title="When is City Hall open?", answer="Monday to Friday, 8:30 to 4:30.")
    secret = Article.objects.create(slug="csr-notes", audience="internal")
    save_text(secret, "en", title="Trash escalation notes", answer="CSRs only.")
    return trash


def to_spanish(client):
    client.post(reverse("set_language"), {"language": "es", "next": "/"})


def photo_file(fmt="PNG", size=(20, 20), name="pothole.png"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 90, 60)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def test_home_shows_search_questions_services_and_phone_numbers(client, kb, pothole):
    file_request(pothole)
    page = client.get("/").content.decode()
    assert 'name="q"' in page and "What day is my trash picked up?" in page
    assert "Pothole" in page and "(617) 555-0311" in page and "<strong>311</strong>" in page
    assert "Trash escalation notes" not in page


def test_faq_search_counts_a_web_view_and_hides_csr_notes(client, kb):
    page = client.get(reverse("portal:faq"), {"q": "trash"}).content.decode()
    assert "What day is my trash picked up?" in page and "Trash escalation notes" not in page
    article = client.get(reverse("portal:article", args=["trash-day"])).content.decode()
    assert "<strong>7 am</strong>" in article
    assert ArticleView.objects.get().channel == "web"
    assert client.get(reverse("portal:article", args=["csr-notes"])).status_code == 404


@pytest.mark.parametrize("query", ['"', "NEAR(", "x" * 10_000, "🚧", "'; DROP TABLE x; --", "*"])
def test_hostile_searches_answer_plainly(client, kb, query):
    assert client.get(reverse("portal:faq"), {"q": query}).status_code == 200
    assert client.get(reverse("portal:services"), {"q": query}).status_code == 200


def test_spanish_answers_or_a_clear_fallback(client, kb):
    to_spanish(client)
    spanish = client.get(reverse("portal:faq"), {"q": "basura"}).content.decode()
    assert "¿Qué día recogen mi basura?" in spanish and 'lang="es"' in spanish
    fallback = client.get(reverse("portal:article", args=["city-hall-hours"])).content.decode()
    assert "no está disponible en español" in fallback


def test_filing_a_request_with_a_point_and_a_photo(client, pothole):
    data = {"lat": "42.3736", "long": "-71.1097", "attr_size": "large", "description": "Deep one",
            "email": "rosa@example.org", "photo": photo_file()}  # fmt: skip
    response = client.post(reverse("portal:request", args=["POTHOLE"]), data)
    assert response.status_code == 302
    sr = ServiceRequest.objects.get()
    assert response["Location"] == reverse("portal:track", args=[sr.tracking_number]) + "?filed=1"
    assert (sr.channel, sr.lat, sr.attributes) == ("web", 42.3736, {"size": "large"})
    assert sr.media_url.startswith("https://311.example.org/media/photos/")
    assert default_storage.exists(sr.media_url.split("/media/")[1])
    confirmation = client.get(response["Location"]).content.decode()
    assert sr.tracking_number in confirmation and "Deep one" not in confirmation  # the description stays private
    assert Message.objects.get().kind == "request_received"


def test_the_form_keeps_what_was_typed_and_says_what_is_wrong(client, pothole):
    data = {"address_string": "12 Main St", "email": "not-an-email", "description": "<b>bold</b>"}
    response = client.post(reverse("portal:request", args=["POTHOLE"]), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "is required" in page and "not a valid email address" in page and "contains HTML markup" in page
    assert 'value="12 Main St"' in page
    assert not ServiceRequest.objects.exists()


def test_the_form_speaks_spanish(client, pothole):
    pothole.name_es = "Bache"
    pothole.save()
    size = pothole.attributes.get(code="size")
    size.description_es = "¿Qué tamaño tiene?"
    size.save()
    to_spanish(client)
    page = client.get(reverse("portal:request", args=["POTHOLE"])).content.decode()
    assert "<h1>Bache</h1>" in page and "¿Qué tamaño tiene?" in page and "Enviar solicitud" in page
    client.post(reverse("portal:request", args=["POTHOLE"]), {"address_string": "1 Elm St", "attr_size": "small",
                                                              "email": "ana@example.org"})  # fmt: skip
    sr = ServiceRequest.objects.get()
    assert sr.language == "es"
    assert Message.objects.get().subject.startswith("[311] Recibimos su solicitud")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.png", b"this is not an image", content_type="image/png"), "Upload a valid image"),
        (lambda: photo_file("GIF", name="x.gif"), "Attach a JPEG, PNG or WebP picture"),
        (lambda: photo_file(size=(1500, 1500)), "the limit is"),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_stored(client, pothole, settings, upload, message):
    settings.CIVIC311_MAX_PHOTO_BYTES = 4000
    upload = upload() if callable(upload) else upload
    data = {"address_string": "1 Elm St", "attr_size": "small", "photo": upload}
    response = client.post(reverse("portal:request", args=["POTHOLE"]), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not ServiceRequest.objects.exists()
    assert not (settings.MEDIA_ROOT / "photos").exists()


def test_already_reported_nearby_offers_to_follow_instead(client, pothole):
    existing = file_request(pothole, lat="42.37360", long="-71.10970", address_string="3 Oak St")
    url = reverse("portal:request", args=["POTHOLE"])
    data = {"lat": "42.37362", "long": "-71.10968", "attr_size": "small"}
    first = client.post(url, data)
    assert first.status_code == 409
    assert existing.tracking_number in first.content.decode() and "Already reported?" in first.content.decode()
    assert ServiceRequest.objects.count() == 1
    hint = client.get(reverse("portal:nearby", args=["POTHOLE"]), {"lat": "42.37362", "long": "-71.10968"})
    assert existing.tracking_number in hint.content.decode()

    follow = client.post(reverse("portal:follow", args=[existing.tracking_number]), {"email": "me@example.org"})
    assert follow.status_code == 302
    assert Follower.objects.get().email == "me@example.org"
    assert Message.objects.filter(kind="follow_confirm", to="me@example.org").exists()

    again = client.post(url, {**data, "new_anyway": "1"})  # not the same problem after all
    assert again.status_code == 302 and ServiceRequest.objects.count() == 2


def test_submissions_are_rate_limited_per_client(client, pothole, settings):
    settings.CIVIC311_SUBMISSIONS_PER_HOUR = 2
    clear_of_window_edge(5)
    url = reverse("portal:request", args=["POTHOLE"])
    for street in ("1 Elm St", "2 Elm St"):
        assert client.post(url, {"address_string": street, "attr_size": "small"}).status_code == 302
    refused = client.post(url, {"address_string": "3 Elm St", "attr_size": "small"})
    assert refused.status_code == 429 and "try again later" in refused.content.decode()
    assert ServiceRequest.objects.count() == 2
    other = client.post(url, {"address_string": "4 Elm St", "attr_size": "small"}, REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 302
    later = timezone.now() + timedelta(hours=1)
    assert throttle.sweep(later) == 2


def test_tracking_a_request_shows_public_history_only(client, pothole):
    from civic311.service_requests import actions

    sr = file_request(pothole, address_string="9 Pine St", email="private@example.org")
    actions.add_note(sr, actor=actions.SYSTEM, note="Crew scheduled for Tuesday.", public=True)
    actions.add_note(sr, actor=actions.SYSTEM, note="Internal: supervisor call", public=False)
    page = client.get(reverse("portal:track", args=[sr.tracking_number])).content.decode()
    assert "9 Pine St" in page and "Crew scheduled for Tuesday." in page
    assert "supervisor call" not in page and "private@example.org" not in page
    redirect = client.get(reverse("portal:track_form"), {"number": sr.tracking_number})
    assert redirect.status_code == 302


@pytest.mark.parametrize("number", ["26-99999999", "nonsense", "99-00000001"])
def test_an_unknown_tracking_number_says_so(client, number):
    response = client.get(reverse("portal:track_form"), {"number": number})
    assert response.status_code == 404 and "We have no request with the tracking number" in response.content.decode()
    assert client.get(reverse("portal:track", args=[number])).status_code == 404


def test_recent_requests_show_no_personal_data(client, pothole):
    file_request(pothole, address_string="7 Birch St", email="who@example.org", first_name="Secret")
    page = client.get(reverse("portal:recent")).content.decode()
    assert "7 Birch St" in page and "who@example.org" not in page and "Secret" not in page


def test_csrf_protects_the_request_form(pothole):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("portal:request", args=["POTHOLE"]), {"address_string": "1 Elm St"})
    assert response.status_code == 403 and not ServiceRequest.objects.exists()


def test_texts_are_offered_and_need_a_phone(client, pothole):
    url = reverse("portal:request", args=["POTHOLE"])
    refused = client.post(url, {"address_string": "1 Elm St", "attr_size": "small", "sms_updates": "on"})
    assert refused.status_code == 400 and "is required for text message updates" in refused.content.decode()
    client.post(url, {"address_string": "1 Elm St", "attr_size": "small", "sms_updates": "on", "phone": "6175550123"})
    sr = ServiceRequest.objects.get()
    assert sr.sms_updates and Message.objects.get(transport="sms").to == "6175550123"


def test_errors_speak_the_residents_language(client, pothole):
    size = pothole.attributes.get(code="size")
    size.required, size.description_es = True, "¿Qué tamaño tiene?"
    size.save()
    to_spanish(client)
    page = client.post(reverse("portal:request", args=["POTHOLE"]), {"email": "nope"}).content.decode()
    assert "es obligatoria: ¿Qué tamaño tiene?" in page
    assert "no es un correo electrónico válido" in page
    assert "Marque el lugar en el mapa o escriba la dirección." in page
