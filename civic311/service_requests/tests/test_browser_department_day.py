"""A department user's day in a real browser: queue, acknowledge, assign, work order, close;
the supervisor's breach notice; the dashboard showing the change."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from civic311.browser import log_in
from civic311.catalog.models import Crew, ResolutionCode
from civic311.notifications.models import Message
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.statuses import Status
from civic311.service_requests.tests.factories import file_request
from civic311.service_requests.watch import check_standards

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_a_department_users_day(page, live_server, django_user_model, pothole, roles):
    pothole.escalation_email = "dpw-supervisor@example.org"
    pothole.save()
    dana = django_user_model.objects.create_user("dana.dpw", password="pw-for-the-browser")
    dana.groups.add(Group.objects.get(name="Department staff"))
    pothole.department.members.add(dana)
    boss = django_user_model.objects.create_user("sam.boss", password="pw-for-the-browser")
    boss.groups.add(Group.objects.get(name="Supervisor"))
    Crew.objects.create(department=pothole.department, name="Hot patch 2")
    ResolutionCode.objects.create(code="REPAIRED", name="Repaired")
    overdue = file_request(pothole, address_string="12 Main St", requested_at=timezone.now() - timedelta(hours=50))
    file_request(pothole, address_string="99 Elm St")

    # Morning: the queue, overdue first.
    log_in(page, live_server, "dana.dpw", "pw-for-the-browser")
    page.wait_for_url("**/work/")
    first_row = page.locator("tbody tr").first
    assert overdue.tracking_number in first_row.inner_text()
    assert "Overdue" in first_row.inner_text()

    # Open it, acknowledge, assign to the crew.
    first_row.get_by_role("link", name=overdue.tracking_number).click()
    page.get_by_role("button", name="Acknowledge").click()
    assert page.locator("#status").inner_text() == "Acknowledged"
    assign = page.locator("form", has=page.locator("#h-assign"))
    assign.get_by_label("Crew").select_option(label="Hot patch 2 (Public Works)")
    assign.get_by_role("button", name="Assign").click()
    assert "Hot patch 2" in page.locator("#assigned").inner_text()

    # Schedule the work and complete it: the request closes with the crew's public note.
    order = page.locator("form", has=page.locator("#h-work_order"))
    order.get_by_label("Notes").fill("Cold patch, 2 bags")
    order.get_by_role("button", name="Create work order").click()
    done = page.locator("form", has=page.locator("#h-complete"))
    done.get_by_label("Public note if this closes the request").fill("Pothole filled.")
    done.get_by_role("button", name="Complete work order").click()
    assert page.locator("#status").inner_text() == "Closed"
    closed = ServiceRequest.objects.get(pk=overdue.pk)
    assert (closed.status, closed.status_notes) == (Status.CLOSED, "Pothole filled.")

    # The other pothole runs past its standard: the supervisor's contact gets one breach notice.
    late = file_request(pothole, address_string="3 Oak St", requested_at=timezone.now() - timedelta(hours=49))
    check_standards()
    check_standards()
    breach = Message.objects.filter(kind="standard_breach")
    assert list(breach.values_list("to", flat=True)) == ["dpw-supervisor@example.org"]
    assert late.tracking_number in breach.get().subject

    # The supervisor's dashboard shows the day's work.
    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server, "sam.boss", "pw-for-the-browser")
    page.goto(f"{live_server.url}/insights/")
    page.wait_for_selector("body[data-charts-ready='yes']")
    assert page.locator("#fig-closed").inner_text() == "1"
    assert page.locator("#fig-opened").inner_text() == "3"
    page.get_by_role("link", name="Closed", exact=False).first.click()
    page.wait_for_url("**/insights/requests?*")  # the click only starts the navigation
    assert overdue.tracking_number in page.content()
