"""Every change to a contact goes through one of these functions.

A contact opens when the CSR picks up (``start``), gathers what the CSR did for the caller
(``use_article``, ``file_request``, ``look_up``, ``transfer``) and closes at ``wrap_up``. Each function
checks its input and raises ``SubmissionInvalid`` naming the field, writing nothing on error.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from civic311.catalog.models import Department, ServiceType
from civic311.contacts import rollups
from civic311.contacts.models import REPEAT_WINDOW, Contact, ContactRequest
from civic311.knowledge.actions import log_search, record_view
from civic311.knowledge.models import SEARCH_CONFIGS, Article, ArticleView, SearchLog
from civic311.knowledge.search import search
from civic311.lib.phones import phone_digits
from civic311.service_requests import actions as request_actions
from civic311.service_requests.models import Channel as RequestChannel
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.validators import (
    NAME_MAX,
    FieldError,
    SubmissionInput,
    SubmissionInvalid,
    check_email,
    check_phone,
    check_plain_text,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# How a contact's channel is recorded on the requests it files.
REQUEST_CHANNEL: dict[str, str] = {
    Contact.Channel.PHONE: RequestChannel.PHONE,
    Contact.Channel.WALK_IN: RequestChannel.WALK_IN,
    Contact.Channel.EMAIL: RequestChannel.EMAIL,
    Contact.Channel.CHAT: RequestChannel.WEB,
    Contact.Channel.SOCIAL: RequestChannel.WEB,
}


class ContactClosed(Exception):
    """The contact was already wrapped up; nothing more can be recorded on it."""


def _choice(name: str, value: str, choices: type, errors: list[FieldError]) -> str:
    if value not in choices.values:  # type: ignore[attr-defined]
        errors.append(FieldError(name, f"{value[:40]!r} is not one of {', '.join(choices.values)}."))  # type: ignore[attr-defined]
    return value


def _check_caller(phone: str, email: str, name: str, language: str, errors: list[FieldError]) -> tuple[str, str, str]:
    """Who is calling, checked: the caller's language must be one the knowledge base is written in."""
    if language not in SEARCH_CONFIGS:
        errors.append(FieldError("language", f"{language[:10]!r} is not one of {', '.join(SEARCH_CONFIGS)}."))
    return (
        check_phone("caller_phone", phone, errors),
        check_email("caller_email", email, errors),
        check_plain_text("caller_name", name, NAME_MAX, errors),
    )


@transaction.atomic
def start(
    csr: User | None,
    *,
    channel: str = Contact.Channel.PHONE,
    direction: str = Contact.Direction.INBOUND,
    caller_phone: str = "",
    caller_email: str = "",
    caller_name: str = "",
    language: str = "en",
    at: datetime | None = None,
) -> Contact:
    """Open a contact. Earlier contacts of the same caller within 72 hours are marked as repeated,
    since they did not settle the matter (first-contact resolution)."""
    errors: list[FieldError] = []
    _choice("channel", channel, Contact.Channel, errors)
    _choice("direction", direction, Contact.Direction, errors)
    caller_phone, caller_email, caller_name = _check_caller(caller_phone, caller_email, caller_name, language, errors)
    if errors:
        raise SubmissionInvalid(errors)
    at = at or timezone.now()
    contact = Contact.objects.create(
        channel=channel, direction=direction, caller_phone=caller_phone, caller_digits=phone_digits(caller_phone),
        caller_email=caller_email, caller_name=caller_name, language=language, started_at=at, csr=csr,
    )  # fmt: skip
    rollups.started(contact)
    _mark_repeats(contact)
    return contact


def _mark_repeats(contact: Contact) -> None:
    if contact.direction != Contact.Direction.INBOUND:
        return  # the city calling back is not the caller having to call again
    same_caller = Contact.objects.none()
    earlier = Contact.objects.filter(
        started_at__gte=contact.started_at - REPEAT_WINDOW, started_at__lt=contact.started_at, repeated=False
    )
    if contact.caller_digits:
        same_caller |= earlier.filter(caller_digits=contact.caller_digits)
    if contact.caller_email:
        same_caller |= earlier.filter(caller_email__iexact=contact.caller_email)
    marked = (
        Contact.objects.filter(pk__in=same_caller.values("pk")).select_related("csr").select_for_update(of=("self",))
    )
    for earlier_contact in marked:
        earlier_contact.repeated = True
        earlier_contact.save(update_fields=["repeated"])
        rollups.marked_repeated(earlier_contact)


def _open(contact: Contact | int) -> Contact:
    pk = contact.pk if isinstance(contact, Contact) else contact
    locked = Contact.objects.select_for_update().get(pk=pk)
    if not locked.is_open:
        raise ContactClosed(f"Contact {locked.pk} was wrapped up at {locked.ended_at:%H:%M}; start a new one.")
    return locked


@transaction.atomic
def update_caller(
    contact: Contact, *, caller_phone: str, caller_email: str, caller_name: str, language: str
) -> Contact:
    """Correct who is calling, once the caller says (the phone system may not know)."""
    locked = _open(contact)
    errors: list[FieldError] = []
    phone, email, name = _check_caller(caller_phone, caller_email, caller_name, language, errors)
    if errors:
        raise SubmissionInvalid(errors)
    locked.caller_phone, locked.caller_digits = phone, phone_digits(phone)
    locked.caller_email, locked.caller_name, locked.language = email, name, language
    locked.save(update_fields=["caller_phone", "caller_digits", "caller_email", "caller_name", "language"])
    _mark_repeats(locked)
    return locked


@transaction.atomic
def use_article(contact: Contact, article: Article, *, language: str) -> None:
    """The CSR read this article for the caller: linked to the contact and counted as a console view."""
    locked = _open(contact)
    if not locked.articles.filter(pk=article.pk).exists():
        locked.articles.add(article)
        rollups.article_used(locked, article.pk)
    record_view(article, language=language, channel=ArticleView.Channel.CONSOLE)


def _link(contact: Contact, request: ServiceRequest, role: str) -> None:
    ContactRequest.objects.get_or_create(contact=contact, request=request, role=role)


@transaction.atomic
def file_request(
    contact: Contact, service_type: ServiceType, data: SubmissionInput, *, csr: User | None
) -> ServiceRequest:
    """File a request for the caller; the contact's caller details fill what the form left empty."""
    locked = _open(contact)
    data.phone = data.phone or locked.caller_phone
    data.email = data.email or locked.caller_email
    if not (data.first_name or data.last_name) and locked.caller_name:
        first, _, last = locked.caller_name.partition(" ")
        data.first_name, data.last_name = first, last
    actor = request_actions.Actor.for_user(csr) if csr is not None else request_actions.SYSTEM
    request = request_actions.submit(
        service_type, data, channel=REQUEST_CHANNEL[locked.channel], actor=actor, language=locked.language
    )
    _link(locked, request, ContactRequest.Role.CREATED)
    rollups.request_filed(locked, service_type.pk)
    return request


@transaction.atomic
def join_request(contact: Contact, request: ServiceRequest, *, csr: User | None) -> ServiceRequest:
    """The caller reports a problem that is already a request: add them to it instead of filing
    another, so the crew sees one job and the caller still hears when it is done."""
    locked = _open(contact)
    actor = request_actions.Actor.for_user(csr) if csr is not None else request_actions.SYSTEM
    request_actions.join(
        request, actor=actor, email=locked.caller_email, phone=locked.caller_phone, name=locked.caller_name,
        language=locked.language, channel=REQUEST_CHANNEL[locked.channel],
    )  # fmt: skip
    _link(locked, request, ContactRequest.Role.JOINED)
    return request


@transaction.atomic
def look_up(contact: Contact, request: ServiceRequest) -> None:
    """The CSR gave the caller a request's status."""
    _link(_open(contact), request, ContactRequest.Role.LOOKED_UP)


@transaction.atomic
def transfer(contact: Contact, department: Department, *, note: str = "") -> Contact:
    """Send the caller on to a department (the directory's number); the transfer rate counts these."""
    locked = _open(contact)
    errors: list[FieldError] = []
    note = check_plain_text("note", note, 4000, errors)
    if not department.is_active:
        errors.append(FieldError("department", f"{department.name} no longer takes transfers."))
    if errors:
        raise SubmissionInvalid(errors)
    locked.transferred_to = department
    if note:
        locked.note = f"{locked.note}\n{note}".strip()
    locked.save(update_fields=["transferred_to", "note"])
    return locked


def default_kind(contact: Contact) -> str:
    """What the contact was, judged from what happened on it (the CSR may choose otherwise)."""
    if contact.transferred_to_id:
        return Contact.Kind.TRANSFER
    if contact.request_links.filter(role__in=[ContactRequest.Role.CREATED, ContactRequest.Role.JOINED]).exists():
        return Contact.Kind.SERVICE_REQUEST
    return Contact.Kind.INFORMATION


def default_outcome(contact: Contact) -> str:
    if contact.transferred_to_id:
        return Contact.Outcome.TRANSFERRED
    roles = set(contact.request_links.values_list("role", flat=True))
    if ContactRequest.Role.CREATED in roles or ContactRequest.Role.JOINED in roles:
        return Contact.Outcome.REQUEST_FILED
    if ContactRequest.Role.LOOKED_UP in roles:
        return Contact.Outcome.STATUS_GIVEN
    return Contact.Outcome.ANSWERED


@transaction.atomic
def wrap_up(
    contact: Contact,
    *,
    kind: str = "",
    outcome: str = "",
    note: str = "",
    ended_at: datetime | None = None,
    last_search: str = "",
) -> Contact:
    """Close the contact with what it was and how it ended; the handle time is fixed here.

    ``last_search`` is what the console's search box held at the end: it is counted once as a question
    asked in the console, answered if the CSR opened an article during the contact (the knowledge
    base editors' list of unanswered questions comes from these counts)."""
    locked = _open(contact)
    kind = kind or default_kind(locked)
    outcome = outcome or default_outcome(locked)
    errors: list[FieldError] = []
    _choice("kind", kind, Contact.Kind, errors)
    _choice("outcome", outcome, Contact.Outcome, errors)
    note = check_plain_text("note", note, 4000, errors)
    ended_at = ended_at or timezone.now()
    if ended_at < locked.started_at:
        errors.append(FieldError("ended_at", "A contact cannot end before it starts."))
    if outcome == Contact.Outcome.TRANSFERRED and not locked.transferred_to_id:
        errors.append(FieldError("outcome", "Transfer the caller to a department first."))
    if errors:
        raise SubmissionInvalid(errors)
    locked.kind, locked.outcome, locked.ended_at = kind, outcome, ended_at
    locked.handle_seconds = int((ended_at - locked.started_at).total_seconds())
    if note:
        locked.note = f"{locked.note}\n{note}".strip()
    locked.save(update_fields=["kind", "outcome", "ended_at", "handle_seconds", "note"])
    rollups.wrapped_up(locked)
    if last_search.strip():
        found = search(last_search, locked.language, include_internal=True)
        log_search(last_search, locked.language, SearchLog.Channel.CONSOLE, results=len(found),
                   opened=locked.articles.exists())  # fmt: skip
    return locked
