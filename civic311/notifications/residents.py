"""What residents hear about their requests: the confirmation, each public status change, the close.

Each email is queued in the outbox inside the transaction of the change that causes it (through
``request_event_recorded``), so a change that rolls back sends nothing, and the outbox's dedupe key
(event and address) means nothing is sent twice. Everyone who reported the problem hears: the
request's reporter, those who joined it (once their address is confirmed), and the reporters of
requests merged into it. Each email is written in its reader's language and carries a link that
stops emails about that request.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.dispatch import receiver
from django.urls import reverse

from civic311.catalog.localization import localized
from civic311.lib.phones import phone_digits
from civic311.notifications.actions import queue_email, queue_sms
from civic311.notifications.models import Unsubscribe
from civic311.service_requests.models import Channel, EventKind, Follower, ServiceRequest, ServiceRequestEvent
from civic311.service_requests.signals import request_event_recorded
from civic311.service_requests.statuses import Status

UNSUBSCRIBE_SALT = "civic311.unsubscribe"
_suppressed: ContextVar[bool] = ContextVar("civic311_resident_notices_suppressed", default=False)


@contextmanager
def suppressed() -> Iterator[None]:
    """No resident emails inside this block: the sample city's made-up reporters get none."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str


def public_url(path: str) -> str:
    return f"{settings.CIVIC311_PUBLIC_URL}{path}"


def unsubscribe_token(request_id: int, email: str) -> str:
    return signing.dumps({"r": request_id, "e": email.lower()}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(request id, email) of a genuine token, else None."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return int(data["r"]), str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


FOLLOW_SALT = "civic311.follow"


def follow_token(follower: Follower) -> str:
    return signing.dumps({"f": follower.pk, "e": follower.email.lower()}, salt=FOLLOW_SALT, compress=True)


def read_follow_token(token: str) -> Follower | None:
    """The follower a genuine confirmation link names, if it still exists with that address."""
    try:
        data = signing.loads(token, salt=FOLLOW_SALT)
        pk, email = int(data["f"]), str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return Follower.objects.select_related("request").filter(pk=pk, email__iexact=email).first()


def ask_to_confirm(follower: Follower) -> None:
    """Email a web follower's address the link that confirms it, once, in the join's transaction.

    Nothing else goes to the address until it is opened; an address that stopped this request's
    emails is not asked again.
    """
    request = follower.request
    if _suppressed.get() or Unsubscribe.objects.filter(request=request, email=follower.email.lower()).exists():
        return
    context = {
        "request": request, "city": settings.CIVIC311_CITY_NAME,
        "service_name": localized(request.service_type, "name", follower.language),
        "track_url": public_url(reverse("portal:track", args=[request.tracking_number])),
        "confirm_url": public_url(reverse("notifications:confirm_follow", args=[follow_token(follower)])),
    }  # fmt: skip
    queue_email(
        to=follower.email, template="follow_confirm", context=context, kind="follow_confirm",
        language=follower.language, request_id=request.pk, dedupe_key=f"follow-confirm:{follower.pk}",
    )  # fmt: skip


def _people(request: ServiceRequest) -> list[Recipient]:
    people = [Recipient(request.email, request.language)] if request.email else []
    people += [Recipient(f.email, f.language) for f in request.followers.all() if f.email and f.confirmed_at]
    return people


def recipients(request: ServiceRequest, *, with_duplicates: bool = True) -> list[Recipient]:
    """Everyone to tell about ``request``, once per address, less those who stopped its emails."""
    people = _people(request)
    if with_duplicates:
        for child in request.duplicates.prefetch_related("followers"):
            people += _people(child)
    stopped = set(Unsubscribe.objects.filter(request=request).values_list("email", flat=True))
    chosen: dict[str, Recipient] = {}
    for person in people:
        key = person.email.lower()
        if key not in stopped and key not in chosen:
            chosen[key] = person
    return list(chosen.values())


def _send(
    template: str, event: ServiceRequestEvent, request: ServiceRequest, people: list[Recipient], **extra: Any
) -> None:
    track = public_url(reverse("portal:track", args=[request.tracking_number]))
    for person in people:
        context = {
            "request": request, "event": event, "track_url": track, "city": settings.CIVIC311_CITY_NAME,
            "service_name": localized(request.service_type, "name", person.language),
            "service_notice": localized(request.service_type, "service_notice", person.language),
            "unsubscribe_url": public_url(reverse("notifications:unsubscribe", args=[
                unsubscribe_token(request.pk, person.email)])),
            **extra,
        }  # fmt: skip
        queue_email(
            to=person.email, template=template, context=context, kind=template, language=person.language,
            request_id=request.pk, dedupe_key=f"resident:{event.pk}:{person.email.lower()}",
        )  # fmt: skip
    if template == "request_joined":
        return
    for phone, language in texters(request, with_duplicates=template in {"request_updated", "request_closed"}):
        # Reporters who asked for texts get the same news, short, at their phone.
        context = {
            "request": request,
            "event": event,
            "track_url": track,
            **extra,
            "service_name": localized(request.service_type, "name", language),
        }
        queue_sms(
            to=phone, template=template, context=context, kind=f"{template}_sms", language=language,
            request_id=request.pk, dedupe_key=f"resident-sms:{event.pk}:{phone_digits(phone)}",
        )  # fmt: skip


def texters(request: ServiceRequest, *, with_duplicates: bool) -> list[tuple[str, str]]:
    """(phone, language) of the reporters who asked for text messages, once per phone line."""
    reporters = [request, *(request.duplicates.all() if with_duplicates else [])]
    chosen: dict[str, tuple[str, str]] = {}
    for r in reporters:
        if r.sms_updates and r.phone:
            chosen.setdefault(phone_digits(r.phone), (r.phone, r.language))
    return list(chosen.values())


@receiver(request_event_recorded)
def on_event(sender: Any, event: ServiceRequestEvent, **kwargs: Any) -> None:
    request = event.request
    if _suppressed.get() or request.channel == Channel.IMPORT:
        return
    if event.kind == EventKind.SUBMITTED:
        _send("request_received", event, request, recipients(request, with_duplicates=False))
    elif event.kind == EventKind.MERGED:
        parent = request.parent
        _send("request_merged", event, request, recipients(request, with_duplicates=False), parent=parent)
    elif event.kind == EventKind.CLOSED and event.to_status != Status.DUPLICATE:
        _send("request_closed", event, request, recipients(request))
    elif event.kind in {EventKind.STATUS_CHANGED, EventKind.REOPENED} and event.is_public:
        _send("request_updated", event, request, recipients(request))
    elif event.kind == EventKind.JOINED:
        joined = Follower.objects.filter(request=request, confirmed_at=event.at).exclude(email="").last()
        if joined is not None:
            _send("request_joined", event, request, [Recipient(joined.email, joined.language)])
