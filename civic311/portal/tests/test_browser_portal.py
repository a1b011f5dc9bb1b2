"""Residents in a real browser: search the FAQ, file a request with a map click in English and in
Spanish, see the "already reported?" hint and follow instead, and track a request."""

import pytest

from civic311.knowledge.actions import save_text
from civic311.knowledge.models import Article
from civic311.notifications.models import Message
from civic311.service_requests.models import Follower, ServiceRequest
from civic311.service_requests.tests.factories import file_request

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
CENTER = ("42.3736", "-71.1097")  # the map's starting point (CIVIC311_MAP_CENTER)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def click_map(page, dx=0, dy=0):
    page.wait_for_selector("body[data-map-ready='yes']")
    box = page.locator("#map").bounding_box()
    page.locator("#map").click(position={"x": box["width"] / 2 + dx, "y": box["height"] / 2 + dy})


def test_searching_the_faq(page, live_server, db):
    article = Article.objects.create(slug="trash-day")
    save_text(article, "en", title="What day is my trash picked up?", answer="Once a week, by **7 am**.")
    page.goto(live_server.url)
    page.get_by_label("Search the questions residents ask").fill("trash")
    page.get_by_role("button", name="Search").click()
    page.locator("#results").get_by_role("link", name="What day is my trash picked up?").click()
    assert page.locator("article strong").inner_text() == "7 am"


def test_filing_a_request_with_a_map_click_then_tracking_it(page, live_server, pothole):
    page.goto(f"{live_server.url}/request/")
    page.get_by_role("link", name="Pothole").click()
    click_map(page, dx=120, dy=-80)
    assert page.locator("#id_lat").input_value() != ""
    page.get_by_label("Question size?").select_option("large")
    page.get_by_label("Email").fill("rosa@example.org")
    page.get_by_role("button", name="Send request").click()
    number = page.locator("#tracking-number").inner_text()
    sr = ServiceRequest.objects.get()
    assert number == sr.tracking_number and sr.lat is not None and sr.address == ""
    assert Message.objects.get().to == "rosa@example.org"

    # Later: track it by number.
    page.goto(live_server.url)
    page.get_by_role("link", name="Track a request").first.click()
    page.get_by_label("Tracking number").fill(number)
    page.get_by_role("button", name="Track").click()
    assert page.locator("#status").inner_text() == "New"
    page.goto(f"{live_server.url}/track/?number=26-99999999")
    assert "We have no request with the tracking number" in page.content()


def test_filing_in_spanish(page, live_server, pothole):
    pothole.name_es = "Bache"
    pothole.save()
    size = pothole.attributes.get(code="size")
    size.description_es = "¿Qué tamaño tiene?"
    size.save()
    page.goto(live_server.url)
    page.get_by_role("button", name="Español").click()
    page.get_by_role("link", name="Solicitar un servicio").first.click()
    page.get_by_role("link", name="Bache").click()
    click_map(page, dx=-100, dy=60)
    page.get_by_role("button", name="Enviar solicitud").click()  # the required question is missing
    assert "¿Qué tamaño tiene?" in page.locator("form.request").inner_text()
    assert page.locator(".errorlist").count() >= 1
    assert page.locator("#id_lat").input_value() != ""  # the place is kept
    page.get_by_label("¿Qué tamaño tiene?").select_option("small")
    page.get_by_label("Correo electrónico").fill("ana@example.org")
    page.get_by_role("button", name="Enviar solicitud").click()
    assert page.locator("#tracking-number").is_visible()
    assert "Recibimos su solicitud" in page.content()
    sr = ServiceRequest.objects.get()
    assert sr.language == "es" and Message.objects.get().language == "es"
    page.goto(live_server.url)  # the language is remembered
    assert page.locator("html").get_attribute("lang") == "es"


def test_the_already_reported_hint_lets_a_resident_follow_instead(page, live_server, pothole):
    existing = file_request(pothole, lat=CENTER[0], long=CENTER[1], address_string="3 Oak St")
    page.goto(f"{live_server.url}/request/POTHOLE/")
    click_map(page)
    hint = page.locator("#nearby")
    hint.get_by_text(existing.tracking_number).wait_for()
    assert "Already reported?" in hint.inner_text()
    hint.get_by_label("Your email, to hear when it changes").fill("neighbor@example.org")
    hint.get_by_role("button", name="Follow this request").click()
    assert page.locator("#status").inner_text() == "New"
    assert "We sent a link to neighbor@example.org" in page.locator(".messages").inner_text()
    assert Follower.objects.get(request=existing).email == "neighbor@example.org"
    assert ServiceRequest.objects.count() == 1
