"""The whole role matrix: anonymous, resident, CSR, department staff of A, supervisor and administrator
against every staff URL and action, read from the URLconf so a new URL cannot be forgotten.

Each URL in the URLconf is public (listed with why), a staff page or action (listed with who may use
it), an admin page of a registered model (whose access per role is declared in ADMIN_ACCESS), or a
page of the admin site itself. A URL in none of these fails the first test, and so does a model
admin without a declaration. Throughout, department staff of A must never see a reporter of
department B's requests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from civic311.catalog.models import BusinessCalendar, ClosedDay, Crew, ResolutionCode, RoutingRule
from civic311.catalog.tests.factories import ServiceTypeFactory
from civic311.contacts import actions as contact_actions
from civic311.contacts.models import Contact
from civic311.geo.models import District
from civic311.knowledge.actions import log_search, save_synonym, save_text
from civic311.knowledge.models import Article
from civic311.notifications.models import EmailText
from civic311.open311.models import ApiKey, Application
from civic311.service_requests import actions, views
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.statuses import Status
from civic311.service_requests.tests.factories import file_request

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "resident", "csr", "dept_a", "supervisor", "administrator")
LOGGED_IN = frozenset(ROLES) - {"anonymous"}
CONSOLE = frozenset({"csr", "supervisor", "administrator"})
SEE_A = frozenset({"csr", "dept_a", "supervisor", "administrator"})  # department A's requests
SEE_B = frozenset({"csr", "supervisor", "administrator"})
WORK_A = frozenset({"dept_a", "supervisor", "administrator"})
WORK_B = frozenset({"supervisor", "administrator"})
MANAGE = frozenset({"supervisor", "administrator"})
ADMIN_USERS = frozenset({"csr", "dept_a", "supervisor", "administrator"})  # is_staff
NOBODY: frozenset[str] = frozenset()

B_REPORTER = ("bea.parks@example.org", "617-555-0202")  # department B's reporter: never shown to A's staff

# Public URLs: no login, and nothing private in them (the privacy tests check what they show).
PUBLIC = {
    "healthz": "load balancers' liveness check",
    "set_language": "the language switch of every page",
    "login": "logging in", "logout": "logging out",
    "password_change": "a user's own password", "password_change_done": "a user's own password",
    "password_reset": "password reset by email", "password_reset_done": "password reset by email",
    "password_reset_confirm": "password reset by email", "password_reset_complete": "password reset by email",
    "notifications:unsubscribe": "a resident's signed unsubscribe link",
    "notifications:confirm_follow": "a follower's signed link confirming their address",
    "knowledge_api:articles": "the public knowledge base", "knowledge_api:article": "the public knowledge base",
    "open311:openapi": "Open311", "open311:discovery": "Open311", "open311:services": "Open311",
    "open311:service-definition": "Open311", "open311:requests": "Open311", "open311:request": "Open311",
    "open311:token": "Open311", "open311/v2/^(?P<path>.*)$": "Open311's 404 for unknown methods",
    "^media/(?P<path>photos/.+)$": "residents' photos by unguessable name, linked only once public",
    "portal:home": "portal", "portal:faq": "portal", "portal:article": "portal", "portal:services": "portal",
    "portal:request": "portal", "portal:nearby": "portal", "portal:track_form": "portal", "portal:track": "portal",
    "portal:follow": "portal", "portal:recent": "portal",
}  # fmt: skip

# Pages of the admin site itself (model pages are checked per model, below).
ADMIN_SITE = {
    "admin:index": "checked: staff users only",
    "admin:app_list": "checked: an app's page lists only what the user may see",
    "admin:autocomplete": "checked: the routing rule's service search, for administrators",
    "admin:login": "logging in", "admin:logout": "logging out",
    "admin:password_change": "a user's own password", "admin:password_change_done": "a user's own password",
    "admin:jsi18n": "the admin's translations, no data",
    "admin:view_on_site": "no model has get_absolute_url, so it answers 404 to everyone",
    "admin/(?P<url>.*)$": "the admin's catch-all 404",
}  # fmt: skip

CONFIGURE = {"view": {"administrator"}, "add": {"administrator"}, "change": {"administrator"},
             "delete": {"administrator"}}  # fmt: skip
# Who may view, add, change and delete each registered model in the admin.
ADMIN_ACCESS: dict[str, dict[str, set[str]]] = {
    **{label: CONFIGURE for label in (
        "catalog.department", "catalog.businesscalendar", "catalog.closedday", "catalog.crew",
        "catalog.resolutioncode", "catalog.servicetype", "catalog.attribute", "catalog.routingrule", "geo.district",
        "knowledge.article", "knowledge.synonym", "notifications.emailtext", "open311.application",
    )},
    "knowledge.searchlog": {"view": {"administrator"}, "change": set(), "add": set(), "delete": set()},
    "open311.apikey": {"view": {"administrator"}, "change": {"administrator"}, "add": set(), "delete": set()},
    "notifications.message": {"view": {"administrator"}, "change": {"administrator"}, "add": set(), "delete": set()},
    "contacts.contact": {"view": {"administrator"}, "change": set(), "add": set(), "delete": set()},
    "service_requests.servicerequest": {"view": set(SEE_A), "change": set(), "add": set(), "delete": set()},
    "auth.user": {"view": set(), "change": set(), "add": set(), "delete": set()},  # superusers only
    "auth.group": {"view": set(), "change": set(), "add": set(), "delete": set()},
    "django_tasks_database.dbtaskresult": {"view": set(), "change": set(), "add": set(), "delete": set()},
}  # fmt: skip


def url_patterns(patterns: list[Any] | None = None, prefix: str = "", namespace: str = "") -> Iterator[str]:
    """Every URL of the URLconf, by name (namespace:name), or by route where it has no name."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and ":".join(filter(None, [namespace, pattern.name]))
            yield name or prefix + str(pattern.pattern)


def model_admin_of(key: str) -> str | None:
    """The registered model whose admin serves this URL name or route, if any."""
    for model in admin.site._registry:
        app, name = model._meta.app_label, model._meta.model_name
        if key.startswith((f"admin:{app}_{name}_", f"admin/{app}/{name}/")):
            return model._meta.label_lower
    return None


@dataclass
class Staff:
    """A staff URL: how to call it, and who may."""

    method: str
    allowed: frozenset[str]
    args: Callable[[Any], list[Any]] = lambda city: []
    data: Callable[[Any], dict[str, Any]] = lambda city: {}
    query: Callable[[Any], dict[str, Any]] = lambda city: {}


STAFF: dict[str, list[Staff]] = {
    "staff_home": [Staff("get", LOGGED_IN)],
    "console:home": [Staff("get", CONSOLE)],
    "console:start": [Staff("post", CONSOLE, data=lambda c: {"channel": "phone", "direction": "inbound",
                                                               "caller_phone": "617-555-0190", "language": "en"})],
    "console:contact": [Staff("get", CONSOLE, args=lambda c: [c.contact.pk])],
    "console:kb": [Staff("get", CONSOLE, args=lambda c: [c.contact.pk], query=lambda c: {"q": "trash"})],
    "console:article": [Staff("get", CONSOLE, args=lambda c: [c.contact.pk, "trash-day"])],
    "console:request": [Staff("get", CONSOLE, args=lambda c: [c.contact.pk], query=lambda c: {"service": "POTHOLE"}),
                        Staff("post", CONSOLE, args=lambda c: [c.contact.pk], data=lambda c: {
                            "service": "POTHOLE", "address_string": "5 Elm St", "attr_size": "small"})],
    "console:lookup": [Staff("get", CONSOLE, args=lambda c: [c.contact.pk],
                             query=lambda c: {"number": c.b_request.tracking_number})],
    "console:join": [Staff("post", CONSOLE, args=lambda c: [c.contact.pk],
                           data=lambda c: {"number": c.a_request.tracking_number})],
    "console:caller": [Staff("post", CONSOLE, args=lambda c: [c.contact.pk], data=lambda c: {
        "caller_phone": "617-555-0191", "caller_name": "Caller", "caller_email": "", "language": "en"})],
    "console:transfer": [Staff("post", CONSOLE, args=lambda c: [c.contact.pk],
                               data=lambda c: {"department": c.personas.b.pk, "note": ""})],
    "console:wrap_up": [Staff("post", CONSOLE, args=lambda c: [c.contact.pk], data=lambda c: {"note": "Done"})],
    "console:stats": [Staff("get", MANAGE), Staff("get", MANAGE, query=lambda c: {"format": "csv"})],
    "work:queue": [Staff("get", SEE_A)],
    "work:detail": [Staff("get", SEE_A, args=lambda c: [c.a_request.pk]),
                    Staff("get", SEE_B, args=lambda c: [c.b_request.pk])],
    # The work actions (every op of the request page, acknowledge, bulk) are checked by their effect below.
    "work:acknowledge": [],
    "work:bulk": [],
    "insights:dashboard": [Staff("get", MANAGE)],
    "insights:drilldown": [Staff("get", MANAGE), Staff("get", MANAGE, query=lambda c: {"format": "csv"}),
                           Staff("get", MANAGE, query=lambda c: {"format": "geojson"})],
}  # fmt: skip


def square(lat: float, long: float, half: float = 0.001) -> dict[str, Any]:
    ring = [[long - half, lat - half], [long + half, lat - half], [long + half, lat + half],
            [long - half, lat + half], [long - half, lat - half]]  # fmt: skip
    return {"type": "Polygon", "coordinates": [ring]}


class City:
    """Two departments with a request each, and a row of every model the admin shows."""

    def __init__(self, personas: Any, pothole: Any):
        self.personas = personas
        self.pothole = pothole
        self.tree = ServiceTypeFactory(service_code="TREE", name="Tree pruning", department=personas.b)
        self.crew_a = Crew.objects.create(department=personas.a, name="Hot patch 2")
        self.crew_b = Crew.objects.create(department=personas.b, name="Forestry")
        self.resolution = ResolutionCode.objects.create(code="REPAIRED", name="Repaired")
        calendar = BusinessCalendar.objects.create(name="City Hall", is_default=True)
        ClosedDay.objects.create(calendar=calendar, date=timezone.localdate(), name="Snow day")
        # Potholes filed in the park are routed to Parks: the same service in two departments.
        self.park = District.objects.create(
            kind="ward",
            code="P",
            name="The park",
            boundary=square(42.40, -71.12),
            min_lat=42.399,
            max_lat=42.401,
            min_long=-71.121,
            max_long=-71.119,
        )
        RoutingRule.objects.create(service_type=pothole, district=self.park, department=personas.b)
        self.a_request = file_request(pothole, email="al.dpw@example.org", address_string="12 Main St")
        self.b_request = file_request(self.tree, email=B_REPORTER[0], phone=B_REPORTER[1], first_name="Bea")
        self.contact = contact_actions.start(personas.csr, caller_phone="617-555-0123")
        contact_actions.look_up(self.contact, self.a_request)
        article = Article.objects.create(slug="trash-day")
        save_text(article, "en", title="What day is my trash picked up?", answer="Once a week.")
        save_synonym("en", "pot hole", "pothole")
        log_search("broken swing", "en", "web", results=0)
        EmailText.objects.create(
            template="request_joined", language="en", subject="Following {{ request.tracking_number }}",
            body_text="See {{ track_url }}. Stop: {{ unsubscribe_url }}",
        )  # fmt: skip
        ApiKey.issue(Application.objects.create(name="City app"))
        from django_tasks_db.models import DBTaskResult

        now = timezone.now()
        DBTaskResult.objects.create(enqueued_at=now, args_kwargs={}, task_path="x.y", backend_name="default",
                                    run_after=now, exception_class_path="", traceback="")  # fmt: skip

    def object_of(self, label: str) -> Any:
        """The row whose change page is tried: department A's where rows belong to a department."""
        model = next(m for m in admin.site._registry if m._meta.label_lower == label)
        if label == "service_requests.servicerequest":
            return self.a_request
        if label == "notifications.message":
            return model.objects.filter(request=self.a_request).first()
        found = model.objects.order_by("pk").first()
        assert found is not None, f"the test city has no {label}: create one in City"
        return found


@pytest.fixture
def city(personas, pothole) -> City:
    return City(personas, pothole)


def as_role(client: Any, city: City, role: str) -> Any:
    user = city.personas.user(role)
    if user is not None:
        client.force_login(user)
    return client


def sent_to_login(response: Any) -> bool:
    return response.status_code == 302 and "/login/" in response["Location"]


def check(response: Any, role: str, allowed: bool, what: str) -> None:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if allowed:
        assert response.status_code in {200, 302} and not sent_to_login(response), (what, role, response.status_code)
    elif role == "anonymous" or (what.startswith("/admin/") and role not in ADMIN_USERS):
        assert sent_to_login(response), (what, role, response.status_code)
    else:
        assert response.status_code in {403, 404}, (what, role, response.status_code)
    if role == "dept_a":
        assert not any(secret.encode() in body for secret in B_REPORTER), (what, "shows B's reporter")


def test_every_url_is_public_staff_or_admin_and_every_model_admin_is_declared():
    unclassified = [
        key for key in url_patterns()
        if key not in PUBLIC and key not in STAFF and key not in ADMIN_SITE and model_admin_of(key) is None
    ]  # fmt: skip
    assert unclassified == [], f"classify these URLs in {__name__}: {unclassified}"
    undeclared = sorted(m._meta.label_lower for m in admin.site._registry if m._meta.label_lower not in ADMIN_ACCESS)
    assert undeclared == [], f"declare who may use these admin pages in ADMIN_ACCESS: {undeclared}"
    assert not [m for m in admin.site._registry if hasattr(m, "get_absolute_url")]  # so view_on_site stays a 404
    work_urls = {"work:acknowledge", "work:bulk"}
    assert {k for k, calls in STAFF.items() if not calls} == work_urls  # the actions checked below, by effect


@pytest.mark.parametrize("role", ROLES)
def test_every_staff_page_answers_each_role_as_declared(client, city, role):
    as_role(client, city, role)
    for name, calls in STAFF.items():
        for call in calls:
            url = reverse(name, args=call.args(city))
            get = call.method == "get"
            response = client.get(url, call.query(city)) if get else client.post(url, call.data(city))
            check(response, role, role in call.allowed, f"{call.method.upper()} {url}")


def prepare(op: str, city: City, department: str) -> tuple[ServiceRequest, dict[str, Any]]:
    """A fresh request of department A or B, ready for ``op``, and the form data that runs it."""
    where = {"lat": "42.4000", "long": "-71.1200"} if department == "b" else {}
    sr = file_request(city.pothole, **where)
    crew = city.crew_b if department == "b" else city.crew_a
    if op == "complete":
        order = actions.create_work_order(sr, actor=actions.SYSTEM)
        return sr, {"order": order.pk, "notes": "", "close_note": ""}
    if op == "reopen":
        actions.close(sr, actor=actions.SYSTEM, note="Fixed")
        return sr, {"note": "It is back"}
    if op == "merge":
        return sr, {"parent": file_request(city.pothole, **where).tracking_number, "note": ""}
    if op == "approve_photo":
        ServiceRequest.objects.filter(pk=sr.pk).update(media_url="https://311.example.org/media/photos/p.png")
        return sr, {}
    data = {
        "assign": {"user": "", "crew": crew.pk, "note": ""},
        "note": {"note": "Called the resident", "public": ""},
        "hold": {"reason": "Waiting for the gas company", "public": "on"},
        "work_order": {"crew": crew.pk, "scheduled_for": "", "notes": "Cold patch"},
        "close": {"resolution": city.resolution.pk, "note": "Fixed"},
    }
    return sr, data[op]


@pytest.mark.parametrize("role", ROLES)
def test_every_department_action_runs_only_for_those_who_work_the_department(client, city, role):
    ops = list(views._forms(city.a_request))  # every form of the request page, so a new one is tried too
    as_role(client, city, role)
    for department, allowed in (("a", WORK_A), ("b", WORK_B)):
        for op in ops:
            sr, data = prepare(op, city, department)
            assert sr.department == (city.personas.b if department == "b" else city.personas.a)
            before = sr.events.count()
            response = client.post(reverse("work:detail", args=[sr.pk]), {"op": op, **data})
            what = f"{op} on {department.upper()}'s request"
            check(response, role, role in allowed, what)
            if role in allowed:
                assert response["Location"] == reverse("work:detail", args=[sr.pk]), (what, role)
            assert (sr.events.count() > before) == (role in allowed), (what, role)
        sr, _ = prepare("note", city, department)
        response = client.post(reverse("work:acknowledge", args=[sr.pk]))
        check(response, role, role in allowed, f"acknowledge {department}")
        sr.refresh_from_db()
        assert (sr.status == Status.ACKNOWLEDGED) == (role in allowed), ("acknowledge", department, role)


@pytest.mark.parametrize("role", ROLES)
def test_bulk_actions_and_the_admin_action_touch_only_requests_the_role_works(client, city, role):
    as_role(client, city, role)
    a, b = prepare("note", city, "a")[0], prepare("note", city, "b")[0]
    response = client.post(reverse("work:bulk"), {"op": "acknowledge", "ids": [a.pk, b.pk]})
    check(response, role, role in WORK_A, "bulk acknowledge")
    assert [ServiceRequest.objects.get(pk=sr.pk).status == Status.ACKNOWLEDGED for sr in (a, b)] == [
        role in WORK_A, role in WORK_B]  # fmt: skip
    a, b = prepare("note", city, "a")[0], prepare("note", city, "b")[0]
    client.post(reverse("work:bulk"), {"op": "assign", "crew": city.crew_b.pk, "ids": [a.pk, b.pk]})
    assert [ServiceRequest.objects.get(pk=sr.pk).crew_id for sr in (a, b)] == [
        None, city.crew_b.pk if role in WORK_B else None]  # fmt: skip
    a, b = prepare("note", city, "a")[0], prepare("note", city, "b")[0]
    changelist = reverse("admin:service_requests_servicerequest_changelist")
    client.post(changelist, {"action": "acknowledge", "_selected_action": [a.pk, b.pk]})
    admin_works = {"dept_a", "supervisor", "administrator"} & ADMIN_USERS
    assert [ServiceRequest.objects.get(pk=sr.pk).status == Status.ACKNOWLEDGED for sr in (a, b)] == [
        role in admin_works, role in admin_works - {"dept_a"}]  # fmt: skip


def admin_urls(model: Any, obj: Any) -> dict[str, tuple[str, str]]:
    """Each admin page of a model: (URL, the permission it needs)."""
    app, name = model._meta.app_label, model._meta.model_name
    return {
        "changelist": (reverse(f"admin:{app}_{name}_changelist"), "view"),
        "add": (reverse(f"admin:{app}_{name}_add"), "add"),
        "change": (reverse(f"admin:{app}_{name}_change", args=[obj.pk]), "view"),
        "history": (reverse(f"admin:{app}_{name}_history", args=[obj.pk]), "view"),
        "delete": (reverse(f"admin:{app}_{name}_delete", args=[obj.pk]), "delete"),
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_answers_each_role_as_declared(client, city, role):
    as_role(client, city, role)
    check(client.get(reverse("admin:index")), role, role in ADMIN_USERS, "/admin/")
    for model in admin.site._registry:
        label = model._meta.label_lower
        access = ADMIN_ACCESS[label]
        for url, needs in admin_urls(model, city.object_of(label)).values():
            may = access["view"] | access["change"] if needs == "view" else access[needs]
            check(client.get(url), role, role in may, url)
    for app in ("catalog", "service_requests"):
        labels = [m._meta.label_lower for m in admin.site._registry if m._meta.app_label == app]
        may = set().union(*(ADMIN_ACCESS[label]["view"] | ADMIN_ACCESS[label]["change"] for label in labels))
        check(client.get(reverse("admin:app_list", args=[app])), role, role in may, f"/admin/{app}/")
    search = {"app_label": "catalog", "model_name": "routingrule", "field_name": "service_type", "term": "Pot"}
    response = client.get(reverse("admin:autocomplete"), search)
    check(response, role, role == "administrator", "/admin/autocomplete/")


def test_department_staff_see_only_their_departments_rows_in_the_admin(client, city):
    client.force_login(city.personas.dept_a)
    listing = client.get(reverse("admin:service_requests_servicerequest_changelist")).content.decode()
    assert city.a_request.tracking_number in listing and city.b_request.tracking_number not in listing
    other = client.get(reverse("admin:service_requests_servicerequest_change", args=[city.b_request.pk]))
    assert other.status_code == 302 and other["Location"] == reverse("admin:index")
    mine = client.get(reverse("admin:service_requests_servicerequest_change", args=[city.a_request.pk]))
    assert mine.status_code == 200 and "al.dpw@example.org" in mine.content.decode()
    searched = client.get(reverse("admin:service_requests_servicerequest_changelist"), {"q": "Bea"})
    assert city.b_request.tracking_number not in searched.content.decode()


def test_merging_across_departments_needs_both(client, city):
    a, _ = prepare("note", city, "a")
    b, _ = prepare("note", city, "b")
    client.force_login(city.personas.dept_a)
    into_b = client.post(reverse("work:detail", args=[a.pk]), {"op": "merge", "parent": b.tracking_number},
                         follow=True)  # fmt: skip
    assert "belongs to Parks; merge only into requests of departments you work." in into_b.content.decode()
    from_b = client.post(reverse("work:detail", args=[b.pk]), {"op": "merge", "parent": a.tracking_number})
    assert from_b.status_code == 404
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (Status.NEW, Status.NEW)
    city.personas.b.members.add(city.personas.dept_a)  # now dana works both
    client.post(reverse("work:detail", args=[a.pk]), {"op": "merge", "parent": b.tracking_number})
    a.refresh_from_db()
    assert (a.status, a.parent) == (Status.DUPLICATE, b)


def test_a_csr_looks_requests_up_but_the_page_offers_no_department_action(client, city):
    client.force_login(city.personas.csr)
    page = client.get(reverse("work:detail", args=[city.b_request.pk])).content.decode()
    assert city.b_request.tracking_number in page and 'id="read-only"' in page
    assert 'name="op"' not in page and ">Acknowledge<" not in page
    queue = client.get(reverse("work:queue")).content.decode()
    assert city.b_request.tracking_number in queue and 'name="ids"' not in queue


def test_joining_the_administrator_role_gives_staff_status_and_the_catalog(client, city, django_user_model):
    from django.contrib.auth.models import Group

    alex = city.personas.administrator
    assert (alex.is_staff, alex.is_superuser) == (True, False)
    newcomer = django_user_model.objects.create_user("nia.admin", password="pw")
    Group.objects.get(name="Administrator").user_set.add(newcomer)  # from the group's side too
    newcomer.refresh_from_db()
    assert newcomer.is_staff
    client.force_login(alex)
    created = client.post(reverse("admin:catalog_resolutioncode_add"), {"code": "NO-PROBLEM", "name": "No problem",
                                                                       "is_active": "on"})  # fmt: skip
    assert created.status_code == 302 and ResolutionCode.objects.filter(code="NO-PROBLEM").exists()
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403  # roles stay with superusers


def test_an_insights_export_is_scoped_to_the_users_departments(client, city):
    from django.contrib.auth.models import Permission

    dana = city.personas.dept_a
    dana.user_permissions.add(Permission.objects.get(codename="view_insights"))
    client.force_login(dana)
    export = client.get(reverse("insights:drilldown"), {"format": "csv"})
    text = b"".join(export.streaming_content).decode()
    assert city.a_request.tracking_number in text and city.b_request.tracking_number not in text
    chosen_b = client.get(reverse("insights:drilldown"), {"format": "csv", "department": city.personas.b.pk})
    assert city.b_request.tracking_number not in b"".join(chosen_b.streaming_content).decode()
    assert not Contact.objects.filter(csr=dana).exists()
