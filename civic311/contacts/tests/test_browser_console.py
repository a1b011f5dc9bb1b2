"""A CSR's calls in a real browser: an information call answered from the knowledge base, a service
call that files a request, a transfer; then the supervisor's call statistics."""

import re

import pytest
from django.contrib.auth.models import Group

from civic311.browser import log_in
from civic311.catalog.tests.factories import DepartmentFactory
from civic311.contacts.models import Contact
from civic311.knowledge.actions import save_text
from civic311.knowledge.models import Article
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.tests.factories import file_request

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
PASSWORD = "pw-for-the-browser"


def start_contact(page, live_server, phone=""):
    page.goto(f"{live_server.url}/console/" + (f"?phone={phone}" if phone else ""))
    page.get_by_role("button", name="Start contact").click()
    page.wait_for_selector("body[data-console-ready='yes']")


def test_a_csrs_calls_and_the_supervisors_statistics(page, live_server, django_user_model, pothole, roles):
    carla = django_user_model.objects.create_user("carla.csr", password=PASSWORD)
    carla.groups.add(Group.objects.get(name="CSR"))
    boss = django_user_model.objects.create_user("sam.boss", password=PASSWORD)
    boss.groups.add(Group.objects.get(name="Supervisor"))
    DepartmentFactory(name="City Clerk", slug="city-clerk", phone="(617) 555-0105", hours="Mon-Fri 8:30-4:30")
    birth = Article.objects.create(slug="birth-certificate")
    save_text(birth, "en", title="How do I get a copy of a birth certificate?",
              answer="Visit the **City Clerk** at City Hall, room 103. Each certified copy costs $10.",
              keywords="vital records")  # fmt: skip
    earlier = file_request(pothole, phone="617-555-0142", address_string="8 Elm St")

    # The phone system opens the console with the caller's number: their history is already there.
    log_in(page, live_server, "carla.csr", PASSWORD)
    page.wait_for_url("**/console/")
    page.goto(f"{live_server.url}/console/?phone=6175550142")
    assert earlier.tracking_number in page.locator("#history").inner_text()

    # An information call: search as the caller talks, read the answer, wrap up.
    start_contact(page, live_server, phone="6175550142")
    page.keyboard.press("/")
    page.keyboard.type("birth cert", delay=30)
    result = page.locator("#kb-results").get_by_role("link", name=re.compile("birth certificate"))
    result.click()
    page.wait_for_selector("#kb-answer >> text=room 103")
    assert page.locator("#kb-answer strong").inner_text() == "City Clerk"
    page.get_by_role("button", name="Wrap up").click()
    page.wait_for_url("**/console/")
    first = Contact.objects.get()
    assert (first.kind, first.outcome, [a.slug for a in first.articles.all()]) == (
        "information", "answered", ["birth-certificate"],
    )  # fmt: skip

    # A service call: the pothole's questions come from its definition; a missing answer is named.
    start_contact(page, live_server)
    page.get_by_label("Service", exact=True).select_option(label="Pothole")
    panel = page.locator("#request-panel")
    panel.get_by_label("Address").fill("12 Main St")
    panel.get_by_role("button", name="File request").click()
    panel.locator(".errorlist").first.wait_for()
    assert "is required" in panel.inner_text()
    assert panel.get_by_label("Address").input_value() == "12 Main St"
    panel.get_by_label("Question size?").select_option("large")
    panel.get_by_role("button", name="File request").click()
    number = page.locator("#filed-number").inner_text()
    filed = ServiceRequest.objects.exclude(pk=earlier.pk).get()
    assert number == filed.tracking_number and filed.attributes == {"size": "large"}

    # Tracking-number lookup for the caller, then wrap-up as a service request.
    page.get_by_label("Tracking number").fill(earlier.tracking_number)
    page.get_by_role("button", name="Look up").click()
    page.wait_for_selector("#lookup-status")
    assert "8 Elm St" in page.locator("#lookup-result").inner_text()
    page.get_by_role("button", name="Wrap up").click()
    page.wait_for_url("**/console/")

    # A transfer: the directory gives the number to send the caller to.
    start_contact(page, live_server)
    assert "(617) 555-0105" in page.locator(".directory").inner_text()
    page.locator("#id_department").select_option(label="City Clerk")
    page.get_by_role("button", name="Transfer", exact=True).click()
    assert "(617) 555-0105" in page.locator(".messages").inner_text()
    page.get_by_role("button", name="Wrap up").click()
    page.wait_for_url("**/console/")
    kinds = sorted(Contact.objects.values_list("kind", flat=True))
    assert kinds == ["information", "service_request", "transfer"]

    # The console in Spanish.
    page.get_by_label("Interface language").select_option("es")
    page.get_by_role("button", name="Switch").click()
    assert page.get_by_role("button", name="Iniciar contacto").is_visible()

    # The supervisor's statistics: the three calls, split, with charts.
    page.get_by_role("button", name="Cerrar sesión").click()
    log_in(page, live_server, "sam.boss", PASSWORD)
    page.goto(f"{live_server.url}/console/stats/")
    page.wait_for_selector("body[data-charts-ready='yes']")
    assert page.locator("#st-total").inner_text() == "3"
    assert page.locator("#st-information").inner_text() == "1"
    assert page.locator("#st-service").inner_text() == "1"
    assert page.locator("#st-transfer").inner_text() == "33,3%"  # the interface is still in Spanish
    assert "How do I get a copy of a birth certificate?" in page.locator("#top-articles").inner_text()
    assert "Pothole" in page.locator("#top-services").inner_text()
