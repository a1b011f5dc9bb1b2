"""What the public may see of a request: one rule for every public output (the portal's list, map
and track page, the "already reported?" hint, Open311 GET).

- **Private services** (``ServiceType.is_private``: a tax bill, a vital record) are not public at
  all: their requests are left out of every public list, map, search and export, and their track
  page shows the status only. The Open311 application that filed one may read it back with its own
  ``api_key`` when the service allows it (``ServiceType.private_readable_by_application``).
- **Other services**: the description, place, public notes and answers are public (residents are
  told so on the form), except answers to questions marked private (``Attribute.is_private``, e.g.
  a bill number), which only staff and the application that sent them read.
- **Photos** are public once staff approve them (``approve_photo``), or at once for services that
  do not ask for approval; never for a private service.

Staff pages show everything to those who may see the request (see ``access.py``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from civic311.catalog.models import ServiceType
from civic311.service_requests.models import ServiceRequest, ServiceRequestQuerySet

if TYPE_CHECKING:
    from civic311.open311.models import Application


def private_service_ids() -> list[int]:
    """The ids of private services (a small table, read once per public page or API call)."""
    return list(ServiceType.objects.filter(is_private=True).values_list("id", flat=True))


def public_requests(qs: ServiceRequestQuerySet) -> ServiceRequestQuerySet:
    """``qs`` without the requests of private services.

    With no private service, no condition is added at all, so the indexes behind public searches
    serve them exactly as before; with some, the condition is on ``service_type_id`` alone (no join).
    """
    ids = private_service_ids()
    return qs.exclude(service_type_id__in=ids) if ids else qs


def readable_requests(qs: ServiceRequestQuerySet, reader: Reader) -> ServiceRequestQuerySet:
    """``qs`` as an Open311 reader may see it: public requests, and, for the application that filed
    them, its own requests of private services that allow it to read them back."""
    policy = reader.policy()
    if not policy.private:
        return qs
    if reader.application is None or not policy.readable:
        return qs.exclude(service_type_id__in=sorted(policy.private))
    own = Q(service_type_id__in=sorted(policy.readable), application=reader.application)
    return qs.filter(~Q(service_type_id__in=sorted(policy.private)) | own)


def is_public(request: ServiceRequest) -> bool:
    return not request.service_type.is_private


def photo_is_public(request: ServiceRequest) -> bool:
    service = request.service_type
    if not request.media_url or service.is_private:
        return False
    return request.media_approved_at is not None or not service.photos_need_approval


def photo_awaits_approval(request: ServiceRequest) -> bool:
    """A photo staff should look at before the public sees it."""
    service = request.service_type
    return (
        bool(request.media_url)
        and not service.is_private
        and service.photos_need_approval
        and (request.media_approved_at is None)
    )


@dataclass(frozen=True)
class Policy:
    """The catalog's privacy settings, read in one query: private services, those whose reporting
    application may read them back, and the private questions of every service."""

    private: frozenset[int]
    readable: frozenset[int]
    private_codes: dict[int, frozenset[str]]

    @classmethod
    def read(cls) -> Policy:
        private, readable, codes = set(), set(), defaultdict(set)
        rows = ServiceType.objects.filter(Q(is_private=True) | Q(attributes__is_private=True)).values_list(
            "id", "is_private", "private_readable_by_application", "attributes__code", "attributes__is_private"
        )
        for service_id, is_private, is_readable, code, code_is_private in rows:
            if is_private:
                private.add(service_id)
                if is_readable:
                    readable.add(service_id)
            if code_is_private:
                codes[service_id].add(code)
        return cls(frozenset(private), frozenset(readable), {k: frozenset(v) for k, v in codes.items()})


class Reader:
    """Who reads public output: anyone, or the Open311 application that filed some requests.

    The privacy settings are read once per reader (one small query), so a page of 1,000 requests
    costs no query per row. Make one per response: it keeps what it read.
    """

    def __init__(self, application: Application | None = None):
        self.application = application
        self._policy: Policy | None = None

    def policy(self) -> Policy:
        if self._policy is None:
            self._policy = Policy.read()
        return self._policy

    def filed(self, request: ServiceRequest) -> bool:
        """This reader is the application that filed ``request``: it gets back what it sent."""
        return self.application is not None and request.application_id == self.application.pk

    def media_url(self, request: ServiceRequest) -> str:
        if self.filed(request) or photo_is_public(request):
            return request.media_url
        return ""

    def answers(self, request: ServiceRequest) -> dict[str, Any]:
        if self.filed(request):
            return dict(request.attributes)
        hidden = self.policy().private_codes.get(request.service_type_id, frozenset())
        return {code: answer for code, answer in request.attributes.items() if code not in hidden}
