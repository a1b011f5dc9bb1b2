"""The CitiStat dashboard in a real browser: what staff and importers wrote is shown as text."""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from civic311.browser import log_in
from civic311.catalog.models import ServiceType
from civic311.geo.cells import cell_for
from civic311.insights.models import Hotspot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

HOSTILE = "<img src=x onerror=\"document.body.dataset.xss='ran'\">Pothole"


def test_a_service_name_with_markup_shows_as_text_in_the_hotspot_popup(page, live_server, supervisor, pothole, roles):
    # A name stored before names were checked (an old import, a database edited by hand).
    ServiceType.objects.filter(pk=pothole.pk).update(name=HOSTILE)
    Hotspot.objects.create(computed_at=timezone.now(), service_type=pothole, cell=cell_for(42.3736, -71.1097),
                           recent=9, expected=1.0, p_value=1e-6)  # fmt: skip
    supervisor.groups.add(Group.objects.get(name="Supervisor"))
    log_in(page, live_server, "sam.supervisor", "pw-supervisor")
    page.goto(f"{live_server.url}/insights/")
    page.wait_for_selector("body[data-charts-ready='yes']")
    page.locator("#map path.leaflet-interactive").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.inner_text() == f"{HOSTILE}: 9 in 7 days (expected 1)"
    assert popup.locator("img").count() == 0
    page.wait_for_timeout(300)  # an image's error handler would have run by now
    assert page.evaluate("document.body.dataset.xss") is None
    assert page.locator("img[src='x']").count() == 0  # nor anywhere else on the page
