"""A resident's photo in a real browser: filed with the request, hidden from the public, approved by
department staff on the request's page, then shown on the public track page."""

import io

import pytest
from PIL import Image

from civic311.browser import log_in
from civic311.service_requests.models import ServiceRequest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path, live_server):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CIVIC311_PUBLIC_URL = live_server.url  # so the photo's address is this server's


LOADED_WIDTH = (
    "img => img.complete ? img.naturalWidth : new Promise(done => { img.onload = () => done(img.naturalWidth); })"
)


def png(tmp_path):
    path = tmp_path / "pothole.png"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 90, 60)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_staff_approve_a_photo_before_the_public_sees_it(page, live_server, pothole, personas, tmp_path):
    page.goto(f"{live_server.url}/request/POTHOLE/")
    page.get_by_label("Address").fill("12 Main St")
    page.get_by_label("Question size?").select_option("large")
    page.get_by_label("Photo (optional)").set_input_files(str(png(tmp_path)))
    page.get_by_role("button", name="Send request").click()
    number = page.locator("#tracking-number").inner_text()
    assert page.locator("img.photo").count() == 0  # not even to the resident who sent it, until approved
    sr = ServiceRequest.objects.get()
    assert sr.media_url.startswith(f"{live_server.url}/media/photos/")

    log_in(page, live_server, "dana.dpw", "pw-dana.dpw")
    page.goto(f"{live_server.url}/work/requests/{sr.pk}/")
    assert "Awaiting approval" in page.locator("#photo-state").inner_text()
    assert page.locator("#h-photo ~ p img").evaluate(LOADED_WIDTH) == 40
    page.get_by_role("button", name="Approve photo for the public").click()
    assert page.locator("#photo-state").inner_text().startswith("Approved")
    assert page.get_by_role("button", name="Approve photo for the public").count() == 0
    assert "Photo approved for public view." in page.locator("section[aria-label='History']").inner_text()

    page.get_by_role("button", name="Log out").click()
    page.goto(f"{live_server.url}/track/{number}/")
    assert page.locator("img.photo").evaluate(LOADED_WIDTH) == 40
    sr.refresh_from_db()
    assert sr.media_approved_at is not None
