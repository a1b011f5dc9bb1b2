"""Read-side questions of the console: who is this caller, and what have they asked us before."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from civic311.contacts.models import Contact, ContactRequest
from civic311.lib.phones import phone_digits
from civic311.service_requests.models import ServiceRequest


@dataclass
class CallerHistory:
    contacts: list[Contact] = field(default_factory=list)
    requests: list[ServiceRequest] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.contacts or self.requests)


def caller_history(
    *, phone: str = "", email: str = "", exclude_contact: int | None = None, limit: int = 20
) -> CallerHistory:
    """The caller's latest contacts and requests, newest first, found by phone line or email.

    Requests are those the caller filed (on any channel, with that phone or email) and those their
    contacts filed or looked up. Every condition is served by an index (contact_caller_idx,
    contact_email_idx, sr_phone_idx, sr_email_idx).
    """
    digits, email = phone_digits(phone), email.strip().lower()
    if not digits and not email:
        return CallerHistory()
    contact_match, request_match = Q(pk__in=[]), Q(pk__in=[])
    if digits:
        contact_match |= Q(caller_digits=digits)
        request_match |= Q(phone_digits=digits)
    if email:
        contact_match |= Q(caller_email__iexact=email)
        request_match |= Q(email__iexact=email)
    contacts_qs = Contact.objects.filter(contact_match).select_related("csr", "transferred_to")
    if exclude_contact is not None:
        contacts_qs = contacts_qs.exclude(pk=exclude_contact)
    contacts = list(contacts_qs.order_by("-started_at", "-id")[:limit])
    linked = ContactRequest.objects.filter(contact__in=[c.pk for c in contacts]).values_list("request_id", flat=True)
    requests = list(
        ServiceRequest.objects.filter(request_match | Q(pk__in=list(linked)))
        .select_related("service_type")
        .order_by("-requested_at", "-id")[:limit]
    )
    return CallerHistory(contacts, requests)
