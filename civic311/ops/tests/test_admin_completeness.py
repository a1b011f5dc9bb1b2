"""Every model a city configures is editable in the admin: each model is registered there, or exempt
here with the reason, so a new model must be classified before the suite passes."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from civic311.catalog.models import BusinessCalendar, ClosedDay, ServiceType

EXEMPT = {
    "admin.logentry": "Django's record of admin edits, shown on each object's history page",
    "auth.permission": "granted through the roles (groups) and users, never edited alone",
    "contenttypes.contenttype": "Django's own registry of models",
    "sessions.session": "login sessions",
    "catalog.attributevalue": "edited inline on its question, where the answers are checked together",
    "service_requests.servicerequestevent": "append-only history, shown inline on its request",
    "service_requests.workorder": "written by the work actions and shown on the request's staff page",
    "service_requests.follower": "residents who joined a request: written by the join action, never edited",
    "notifications.unsubscribe": "written by residents' signed links, honoured by the outbox",
    "insights.dailystat": "a rollup kept by the request actions",
    "insights.districtdailystat": "a rollup kept by the request actions",
    "insights.hotspot": "computed by the recurring jobs",
    "knowledge.articletext": "edited inline on its article",
    "knowledge.articleview": "read counts",
    "knowledge.word": "the search vocabulary, rebuilt from the articles",
    "knowledge.term": "search terms, computed from the article texts",
    "contacts.contactrequest": "shown inline on its contact",
    "contacts.contacthourstat": "a rollup kept by the console actions",
    "contacts.contactarticleday": "a rollup kept by the console actions",
    "contacts.contactserviceday": "a rollup kept by the console actions",
    "portal.throttle": "rate-limit counters, swept by the recurring jobs",
}


def test_every_model_is_in_the_admin_or_exempt_with_a_reason():
    registered = {model._meta.label_lower for model in admin.site._registry}
    every = {model._meta.label_lower for model in apps.get_models()}
    assert sorted(every - registered - set(EXEMPT)) == [], "register these in the admin, or exempt them here"
    assert sorted(registered & set(EXEMPT)) == [], "registered models need no exemption"
    assert sorted(set(EXEMPT) - every) == [], "these exemptions name no model"
    assert all(reason.strip() for reason in EXEMPT.values())


def test_the_service_type_page_shows_every_field_a_city_sets():
    model_admin = admin.site._registry[ServiceType]
    shown = {name for _, options in model_admin.fieldsets for name in options["fields"]}
    editable = {f.name for f in ServiceType._meta.get_fields() if getattr(f, "editable", False) and f.concrete}
    assert editable - {"id", "updated_at"} == shown


@pytest.mark.django_db
def test_an_administrator_sets_up_a_calendar_with_a_closed_day_without_being_a_superuser(client, personas):
    client.force_login(personas.administrator)
    data = {
        "name": "City Hall", "country": "US", "subdivision": "MA", "workdays": "0,1,2,3,4", "opens": "08:30",
        "closes": "16:30", "closed_days-TOTAL_FORMS": "1", "closed_days-INITIAL_FORMS": "0",
        "closed_days-0-date": "2026-02-09", "closed_days-0-name": "Snow day",
    }  # fmt: skip
    response = client.post(reverse("admin:catalog_businesscalendar_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    calendar = BusinessCalendar.objects.get()
    assert list(ClosedDay.objects.values_list("calendar", "name")) == [(calendar.pk, "Snow day")]
    closes_early = {**data, "name": "Depot", "opens": "17:00", "closed_days-TOTAL_FORMS": "0"}
    refused = client.post(reverse("admin:catalog_businesscalendar_add"), closes_early)
    assert "Closing time must be after opening time." in refused.content.decode()
    assert BusinessCalendar.objects.count() == 1
