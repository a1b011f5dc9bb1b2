"""The console's pages through Django's test client: roles, every panel, and hostile input."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from civic311.catalog.tests.factories import DepartmentFactory
from civic311.contacts.models import Contact, ContactRequest
from civic311.knowledge.actions import save_text
from civic311.knowledge.models import Article, ArticleView
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.tests.factories import file_request

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def user_in(django_user_model, name, group=None):
    user = django_user_model.objects.create_user(name, password="pw")
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def csr_client(client, django_user_model, roles):
    client.force_login(user_in(django_user_model, "carla.csr", "CSR"))
    return client


@pytest.fixture
def kb(db):
    birth = Article.objects.create(slug="birth-certificate")
    save_text(birth, "en", title="How do I get a copy of a birth certificate?",
              answer="Visit the **City Clerk**, room 103. Copies cost $10.\n\n<script>alert(1)</script>",
              keywords="vital records")  # fmt: skip
    save_text(birth, "es", title="¿Cómo obtengo una copia de un acta de nacimiento?",
              answer="Visite al Secretario Municipal, sala 103. Cada copia cuesta $10.")  # fmt: skip
    parking = Article.objects.create(slug="parking-ticket")
    save_text(parking, "en", title="How do I pay a parking ticket?", answer="Pay online or at City Hall.")
    return {"birth": birth, "parking": parking}


def start(client, **fields):
    data = {"channel": "phone", "direction": "inbound", "language": "en", **fields}
    response = client.post(reverse("console:start"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Contact.objects.latest("id")


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("console:home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("group", [None, "Department staff"])
def test_users_without_the_csr_role_are_refused(client, django_user_model, roles, group):
    client.force_login(user_in(django_user_model, "someone", group))
    assert client.get(reverse("console:home")).status_code == 403
    assert client.get(reverse("console:stats")).status_code == 403


def test_the_phone_system_prefills_the_caller_and_shows_their_history(csr_client, pothole):
    earlier = file_request(pothole, phone="617-555-0142", address_string="1 Main St")
    page = csr_client.get(reverse("console:home"), {"phone": "+16175550142"}).content.decode()
    assert 'value="+16175550142"' in page
    assert earlier.tracking_number in page


def test_an_information_call(csr_client, kb):
    contact = start(csr_client, caller_phone="617-555-0100")
    results = csr_client.get(reverse("console:kb", args=[contact.pk]), {"q": "birth cert"}, **HTMX).content.decode()
    assert "birth certificate" in results and "**" not in results
    results = csr_client.get(reverse("console:kb", args=[contact.pk]), {"q": "clerk"}, **HTMX).content.decode()
    assert "<mark>Clerk</mark>" in results
    answer = csr_client.get(reverse("console:article", args=[contact.pk, "birth-certificate"]), **HTMX)
    body = answer.content.decode()
    assert "<strong>City Clerk</strong>" in body and "<script>" not in body
    assert ArticleView.objects.get().channel == "console"
    wrap = {"kind": "information", "outcome": "answered", "note": "Gave the clerk's room."}
    response = csr_client.post(reverse("console:wrap_up", args=[contact.pk]), wrap)
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.kind, contact.ended_at is not None, list(contact.articles.all())) == (
        "information", True, [kb["birth"]],
    )  # fmt: skip


def test_a_spanish_caller_gets_the_spanish_answer_or_a_clear_fallback(csr_client, kb):
    contact = start(csr_client, language="es")
    spanish = csr_client.get(reverse("console:kb", args=[contact.pk]), {"q": "acta nacimiento"}, **HTMX)
    assert "acta de nacimiento" in spanish.content.decode()
    english = csr_client.get(reverse("console:kb", args=[contact.pk]), {"q": "parking ticket"}, **HTMX)
    assert "Nothing in Spanish matched" in english.content.decode()
    fallback = csr_client.get(reverse("console:article", args=[contact.pk, "parking-ticket"]), **HTMX)
    assert "not written in the caller's language yet" in fallback.content.decode()


@pytest.mark.parametrize(
    "query", ['"', "birth AND OR NOT", "NEAR(", "*", "'; DROP TABLE x; --", "x" * 10_000, "🚧🕳️", "  ", "a:b^c"]
)
def test_hostile_searches_never_raise(csr_client, kb, query):
    contact = start(csr_client)
    response = csr_client.get(reverse("console:kb", args=[contact.pk]), {"q": query}, **HTMX)
    assert response.status_code == 200
    page = csr_client.get(reverse("console:contact", args=[contact.pk]), {"q": query})
    assert page.status_code == 200


def test_a_search_without_words_says_so(csr_client, kb):
    contact = start(csr_client)
    response = csr_client.get(reverse("console:kb", args=[contact.pk]), {"q": "?!*"}, **HTMX)
    assert "has no words in it" in response.content.decode()


def test_filing_a_request_shows_errors_beside_fields_and_keeps_what_was_typed(csr_client, pothole):
    contact = start(csr_client, caller_phone="617-555-0100", caller_name="Rosa Diaz")
    form = csr_client.get(reverse("console:request", args=[contact.pk]), {"service": "POTHOLE"}, **HTMX)
    assert 'name="attr_size"' in form.content.decode()
    assert '<option value="POTHOLE" selected>' in form.content.decode()  # the picker stays usable
    url = reverse("console:request", args=[contact.pk])
    bad = csr_client.post(url, {"service": "POTHOLE", "address_string": "12 Main St", "email": "nope"}, **HTMX)
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "is required: Question size?" in text and "is not a valid email address" in text
    assert 'value="12 Main St"' in text
    assert not ServiceRequest.objects.exists()

    good = csr_client.post(url, {"service": "POTHOLE", "address_string": "12 Main St", "attr_size": "large"}, **HTMX)
    request = ServiceRequest.objects.get()
    assert request.tracking_number in good.content.decode()
    assert (request.phone, request.first_name, request.attributes) == ("617-555-0100", "Rosa", {"size": "large"})
    assert ContactRequest.objects.get().role == "created"


def test_filing_without_javascript_redirects_back_with_the_number(csr_client, pothole):
    contact = start(csr_client)
    url = reverse("console:request", args=[contact.pk])
    response = csr_client.post(url, {"service": "POTHOLE", "address_string": "1 Elm St", "attr_size": "small"},
                               follow=True)  # fmt: skip
    assert ServiceRequest.objects.get().tracking_number in response.content.decode()


def test_an_unknown_service_is_refused_plainly(csr_client, db):
    contact = start(csr_client)
    response = csr_client.post(reverse("console:request", args=[contact.pk]), {"service": "NOPE"}, **HTMX)
    assert response.status_code == 400 and "No active service" in response.content.decode()


def test_looking_up_a_tracking_number(csr_client, pothole):
    request = file_request(pothole, address_string="5 Oak St")
    contact = start(csr_client)
    url = reverse("console:lookup", args=[contact.pk])
    found = csr_client.get(url, {"number": request.tracking_number}, **HTMX).content.decode()
    assert "5 Oak St" in found and "New" in found
    missing = csr_client.get(url, {"number": "26-99999999"}, **HTMX).content.decode()
    assert "No request has the tracking number" in missing
    assert ContactRequest.objects.get().role == "looked_up"


def test_transfer_then_wrap_up_as_a_transfer(csr_client, db):
    clerk = DepartmentFactory(name="City Clerk", slug="city-clerk", phone="(617) 555-0105")
    contact = start(csr_client)
    response = csr_client.post(reverse("console:transfer", args=[contact.pk]), {"department": clerk.pk}, follow=True)
    assert "(617) 555-0105" in response.content.decode()
    page = csr_client.get(reverse("console:contact", args=[contact.pk])).content.decode()
    assert "Transferred to City Clerk" in page
    csr_client.post(reverse("console:wrap_up", args=[contact.pk]), {"kind": "", "outcome": ""})
    contact.refresh_from_db()
    assert (contact.kind, contact.outcome, contact.transferred_to) == ("transfer", "transferred", clerk)


def test_wrap_up_refuses_a_transfer_outcome_without_a_transfer(csr_client, db):
    contact = start(csr_client)
    response = csr_client.post(
        reverse("console:wrap_up", args=[contact.pk]), {"kind": "other", "outcome": "transferred"}
    )
    assert response.status_code == 400 and "Transfer the caller to a department first" in response.content.decode()
    contact.refresh_from_db()
    assert contact.is_open


def test_bad_caller_details_are_shown_beside_the_field(csr_client, db):
    response = csr_client.post(reverse("console:start"), {"channel": "phone", "direction": "inbound",
                                                          "language": "en", "caller_phone": "call me"})  # fmt: skip
    assert response.status_code == 400 and "use digits" in response.content.decode()
    assert not Contact.objects.exists()


def test_a_csr_cannot_open_another_csrs_contact(client, django_user_model, roles):
    other = user_in(django_user_model, "other", "CSR")
    client.force_login(other)
    contact = start(client)
    client.force_login(user_in(django_user_model, "carla", "CSR"))
    assert client.get(reverse("console:contact", args=[contact.pk])).status_code == 403


def test_the_console_speaks_spanish(csr_client, db):
    csr_client.post(reverse("set_language"), {"language": "es", "next": "/console/"})
    page = csr_client.get(reverse("console:home")).content.decode()
    assert "Iniciar contacto" in page and 'lang="es"' in page


def test_supervisor_sees_statistics_and_exports_csv(client, django_user_model, roles, kb):
    boss = user_in(django_user_model, "sam", "Supervisor")
    client.force_login(boss)
    contact = start(client)
    client.get(reverse("console:article", args=[contact.pk, "parking-ticket"]), **HTMX)
    client.post(reverse("console:wrap_up", args=[contact.pk]), {"kind": "information", "outcome": "answered"})
    page = client.get(reverse("console:stats")).content.decode()
    assert 'id="st-total">1<' in page and "How do I pay a parking ticket?" in page
    export = client.get(reverse("console:stats"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0][:3] == ["contact", "started", "ended"]
    assert rows[1][7:9] == ["information", "answered"] and rows[1][-1] == "parking-ticket"
    backwards = client.get(reverse("console:stats"), {"start": "2026-02-01", "end": "2026-01-01"}).content.decode()
    assert "start date is after the end date; showing the last 7 days" in backwards
    no_such_day = client.get(reverse("console:stats"), {"start": "2026-02-30"})
    assert no_such_day.status_code == 200 and "2026-02-30 is not a date" in no_such_day.content.decode()


def test_a_caller_reporting_a_known_problem_joins_it_instead(csr_client, pothole):
    from civic311.service_requests.models import Follower

    existing = file_request(pothole, lat="42.37360", long="-71.10970", address_string="3 Oak St")
    contact = start(csr_client, caller_phone="617-555-0177", caller_email="caller@example.org", language="es")
    url = reverse("console:request", args=[contact.pk])
    data = {"service": "POTHOLE", "lat": "42.37361", "long": "-71.10971", "attr_size": "small"}
    offered = csr_client.post(url, data, **HTMX)
    assert offered.status_code == 409 and existing.tracking_number in offered.content.decode()
    assert ServiceRequest.objects.count() == 1
    joined = csr_client.post(reverse("console:join", args=[contact.pk]), {"number": existing.tracking_number}, **HTMX)
    assert existing.tracking_number in joined.content.decode()
    follower = Follower.objects.get()
    assert (follower.email, follower.phone, follower.language, follower.channel) == (
        "caller@example.org", "617-555-0177", "es", "phone",
    )  # fmt: skip
    csr_client.post(reverse("console:wrap_up", args=[contact.pk]), {"kind": "", "outcome": ""})
    contact.refresh_from_db()
    assert (contact.kind, contact.outcome) == ("service_request", "request_filed")

    other = start(csr_client)
    filed = csr_client.post(reverse("console:request", args=[other.pk]), {**data, "new_anyway": "1"}, **HTMX)
    assert filed.status_code == 200 and ServiceRequest.objects.count() == 2


def test_joining_a_closed_request_is_refused(csr_client, pothole):
    from civic311.service_requests import actions as request_actions

    closed = file_request(pothole)
    request_actions.close(closed, actor=request_actions.SYSTEM, note="Fixed.")
    contact = start(csr_client)
    response = csr_client.post(reverse("console:join", args=[contact.pk]), {"number": closed.tracking_number}, **HTMX)
    assert response.status_code == 400 and "is closed" in response.content.decode()


def test_a_wrapped_up_contact_files_nothing(csr_client, pothole):
    contact = start(csr_client)
    csr_client.post(reverse("console:wrap_up", args=[contact.pk]), {"kind": "", "outcome": ""})
    url = reverse("console:request", args=[contact.pk])
    response = csr_client.post(url, {"service": "POTHOLE", "address_string": "1 Elm St", "attr_size": "small"}, **HTMX)
    assert response.status_code == 400 and "wrapped up" in response.content.decode()
    assert not ServiceRequest.objects.exists()
