"""Contacts through their actions: what a CSR does on a call, and what is refused."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from civic311.catalog.tests.factories import DepartmentFactory
from civic311.contacts import actions
from civic311.contacts.models import Contact, ContactRequest
from civic311.contacts.queries import caller_history
from civic311.knowledge.actions import save_text
from civic311.knowledge.models import Article, ArticleView
from civic311.service_requests.models import Channel, ServiceRequest
from civic311.service_requests.tests.factories import file_request
from civic311.service_requests.validators import SubmissionInput, SubmissionInvalid

pytestmark = pytest.mark.django_db


@pytest.fixture
def csr(django_user_model):
    return django_user_model.objects.create_user("carla.csr", password="pw-csr")


def test_an_information_call_answered_from_the_knowledge_base(csr):
    article = Article.objects.create(slug="city-hall-hours")
    save_text(article, "en", title="When is City Hall open?", answer="Monday to Friday, 8:30 am to 4:30 pm.")
    contact = actions.start(csr, caller_phone="+1 (617) 555-0142")
    actions.use_article(contact, article, language="en")
    done = actions.wrap_up(contact, note="Gave the hours.", ended_at=contact.started_at + timedelta(seconds=95))

    assert (done.kind, done.outcome, done.handle_seconds) == ("information", "answered", 95)
    assert done.caller_digits == "6175550142"
    assert list(done.articles.all()) == [article]
    assert ArticleView.objects.get().channel == ArticleView.Channel.CONSOLE


def test_a_service_call_files_a_request_with_the_callers_details(csr, pothole):
    contact = actions.start(csr, caller_phone="617-555-0199", caller_name="Rosa Diaz", language="es")
    data = SubmissionInput(address_string="12 Main St", attributes={"size": ["large"]})
    request = actions.file_request(contact, pothole, data, csr=csr)
    done = actions.wrap_up(contact)

    assert (request.channel, request.language, request.phone) == (Channel.PHONE, "es", "617-555-0199")
    assert (request.first_name, request.last_name) == ("Rosa", "Diaz")
    assert request.events.get().actor_label == "carla.csr"
    assert (done.kind, done.outcome) == ("service_request", "request_filed")
    assert list(contact.requests.all()) == [request]


def test_a_rejected_request_leaves_nothing_behind(csr, pothole):
    contact = actions.start(csr)
    with pytest.raises(SubmissionInvalid) as error:
        actions.file_request(contact, pothole, SubmissionInput(address_string="12 Main St"), csr=csr)
    assert error.value.errors[0].field == "attribute[size]"
    assert not ServiceRequest.objects.exists()
    assert not ContactRequest.objects.exists()


def test_a_transfer_counts_as_a_transfer(csr):
    clerk = DepartmentFactory(name="City Clerk", slug="city-clerk")
    contact = actions.start(csr)
    actions.transfer(contact, clerk, note="Wants a marriage license appointment")
    done = actions.wrap_up(contact)
    assert (done.kind, done.outcome, done.transferred_to) == ("transfer", "transferred", clerk)
    assert "marriage license" in done.note


def test_transferred_outcome_needs_a_transfer(csr):
    contact = actions.start(csr)
    with pytest.raises(SubmissionInvalid, match="Transfer the caller"):
        actions.wrap_up(contact, outcome="transferred")
    assert Contact.objects.get().is_open


def test_a_contact_cannot_end_before_it_starts(csr):
    contact = actions.start(csr)
    with pytest.raises(SubmissionInvalid, match="cannot end before it starts"):
        actions.wrap_up(contact, ended_at=contact.started_at - timedelta(minutes=1))
    assert Contact.objects.get().ended_at is None


def test_the_database_refuses_an_end_before_the_start_too(csr):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(csr=csr, started_at=now, ended_at=now - timedelta(seconds=1))


def test_a_wrapped_up_contact_takes_nothing_more(csr):
    contact = actions.start(csr)
    actions.wrap_up(contact)
    with pytest.raises(actions.ContactClosed):
        actions.wrap_up(contact)
    with pytest.raises(actions.ContactClosed):
        actions.transfer(contact, DepartmentFactory())


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"channel": "carrier-pigeon"}, "channel"),
        ({"language": "fr"}, "language"),
        ({"caller_phone": "call me maybe"}, "caller_phone"),
        ({"caller_email": "not-an-email"}, "caller_email"),
        ({"caller_name": "<script>alert(1)</script>"}, "caller_name"),
        ({"caller_name": "x" * 101}, "caller_name"),
    ],
)
def test_bad_caller_details_are_refused_by_field(csr, fields, field):
    with pytest.raises(SubmissionInvalid) as error:
        actions.start(csr, **fields)
    assert [e.field for e in error.value.errors] == [field]
    assert not Contact.objects.exists()


def test_wrap_up_refuses_unknown_kinds_and_outcomes(csr):
    contact = actions.start(csr)
    with pytest.raises(SubmissionInvalid) as error:
        actions.wrap_up(contact, kind="gossip", outcome="shrug")
    assert [e.field for e in error.value.errors] == ["kind", "outcome"]


def test_calling_again_within_72_hours_marks_the_first_contact_as_repeated(csr):
    start = timezone.now() - timedelta(days=10)
    first = actions.start(csr, caller_phone="617 555 0100", at=start)
    actions.wrap_up(first, ended_at=start + timedelta(minutes=2))
    unrelated = actions.start(csr, caller_phone="617 555 0999", at=start + timedelta(hours=1))
    actions.start(csr, caller_phone="(617) 555-0100", at=start + timedelta(hours=71))
    first.refresh_from_db()
    unrelated.refresh_from_db()
    assert first.repeated and not unrelated.repeated


def test_a_call_after_72_hours_or_our_own_callback_is_not_a_repeat(csr):
    start = timezone.now() - timedelta(days=10)
    first = actions.start(csr, caller_email="Pat@Example.org", at=start)
    actions.start(csr, caller_email="pat@example.org", direction="outbound", at=start + timedelta(hours=2))
    actions.start(csr, caller_email="pat@example.org", at=start + timedelta(hours=73))
    first.refresh_from_db()
    assert not first.repeated


def test_caller_history_finds_contacts_and_requests_by_phone_or_email(csr, pothole):
    earlier = actions.start(csr, caller_phone="617-555-0123", at=timezone.now() - timedelta(days=3))
    filed = actions.file_request(
        earlier, pothole, SubmissionInput(address_string="1 Elm St", attributes={"size": ["small"]}), csr=csr
    )
    actions.wrap_up(earlier)
    on_the_web = file_request(pothole, email="Caller@Example.org", phone="+1 617 555 0123")
    someone_else = file_request(pothole, phone="617-555-0000")

    history = caller_history(phone="(617) 555-0123")
    assert [c.pk for c in history.contacts] == [earlier.pk]
    assert {r.pk for r in history.requests} == {filed.pk, on_the_web.pk}
    assert someone_else not in history.requests
    assert [r.pk for r in caller_history(email="caller@example.org").requests] == [on_the_web.pk]
    assert not caller_history(phone="", email="")
