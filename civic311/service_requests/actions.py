"""Every change to a service request goes through one of these functions.

Each runs in one transaction, locks the request row, checks the status map, writes an append-only
event (who, when, from, to, note, public or internal) and sends ``request_event_committed`` only
after commit. Views, the API, the CLI and importers call these; nothing else saves a status.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone, translation

from civic311.catalog import standards
from civic311.catalog.models import Crew, ResolutionCode, ServiceType
from civic311.catalog.routing import route
from civic311.geo.cells import cell_for
from civic311.geo.districts import districts_at
from civic311.lib.phones import phone_digits
from civic311.service_requests.models import (
    Channel,
    EventKind,
    Follower,
    ServiceRequest,
    ServiceRequestEvent,
    WorkOrder,
)
from civic311.service_requests.signals import request_event_committed, request_event_recorded, requests_imported
from civic311.service_requests.statuses import (
    CLOSED_STATUSES,
    REOPEN_STATUS,
    TRANSITIONS,
    Status,
    can_transition,
)
from civic311.service_requests.validators import (
    NAME_MAX,
    FieldError,
    SubmissionInput,
    SubmissionInvalid,
    check_email,
    check_phone,
    check_plain_text,
    validate_submission,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from civic311.open311.models import Application


@dataclass(frozen=True)
class Actor:
    """Who acts: a staff user, or a named system such as an API application or an importer."""

    label: str
    user: User | None = None

    @classmethod
    def for_user(cls, user: User) -> Actor:
        return cls(label=user.get_username(), user=user)


SYSTEM = Actor("system")


class TransitionRefused(Exception):
    """A status change the status map does not allow; the message says which and why."""


def _status_name(status: str) -> str:
    """A status as the actions' messages name it (in English, whatever language a page is in)."""
    with translation.override("en"):
        return str(Status(status).label).lower()


def _record(
    request: ServiceRequest,
    *,
    kind: str,
    actor: Actor,
    at: datetime,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    public: bool = True,
) -> ServiceRequestEvent:
    event = ServiceRequestEvent.objects.create(
        request=request,
        at=at,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        note=note,
        is_public=public,
        actor=actor.user,
        actor_label=actor.label[:200],
    )
    request_event_recorded.send(sender=ServiceRequest, event=event)
    transaction.on_commit(lambda: request_event_committed.send(sender=ServiceRequest, event=event))
    return event


def _clean_note(note: str, *, required: bool = False) -> str:
    errors: list[FieldError] = []
    cleaned = check_plain_text("note", note, 4000, errors)
    if required and not cleaned:
        errors.append(FieldError("note", "is required."))
    if errors:
        raise SubmissionInvalid(errors)
    return cleaned


@transaction.atomic
def submit(
    service_type: ServiceType,
    data: SubmissionInput,
    *,
    channel: str = Channel.WEB,
    actor: Actor = SYSTEM,
    language: str = "en",
    requested_at: datetime | None = None,
    issue_token: bool | None = None,
    application: Application | None = None,
) -> ServiceRequest:
    """File a new request. Validates everything first (raising SubmissionInvalid, nothing written).

    The responsible department and the expected completion come from the service type at intake;
    ``requested_at`` is for importers and the sample city, which file history with its own times.
    A token is issued for batch and blackbox services (Open311's asynchronous answer), unless told.
    ``application`` is the Open311 client that filed it (it may read back a private request).
    """
    clean = validate_submission(service_type, data)
    if channel not in Channel.values:
        raise SubmissionInvalid([FieldError("channel", f"{channel!r} is not a known channel.")])
    now = requested_at or timezone.now()
    warning_at, expected_at = standards.due_times(service_type, now)
    districts = districts_at(clean.lat, clean.long)
    department = route(service_type, districts)
    if issue_token is None:
        issue_token = service_type.kind != ServiceType.Kind.REALTIME
    request = ServiceRequest.objects.create(
        service_type=service_type,
        department=department,
        status=Status.NEW,
        description=clean.description,
        lat=clean.lat,
        long=clean.long,
        address=clean.address,
        address_id=clean.address_id,
        zipcode=clean.zipcode,
        cell=cell_for(clean.lat, clean.long),
        first_name=clean.first_name,
        last_name=clean.last_name,
        email=clean.email,
        phone=clean.phone,
        phone_digits=phone_digits(clean.phone),
        device_id=clean.device_id,
        account_id=clean.account_id,
        language=language,
        channel=channel,
        attributes=clean.attributes,
        media_url=clean.media_url,
        sms_updates=clean.sms_updates,
        requested_at=now,
        updated_at=now,
        expected_at=expected_at,
        warning_at=warning_at,
        token=uuid.uuid4() if issue_token else None,
        application=application,
    )
    if districts:
        request.districts.set(districts)
    _record(request, kind=EventKind.SUBMITTED, actor=actor, at=now, to_status=Status.NEW)
    return request


def _locked(request: ServiceRequest | int) -> ServiceRequest:
    pk = request.pk if isinstance(request, ServiceRequest) else request
    return ServiceRequest.objects.select_for_update().get(pk=pk)


@transaction.atomic
def change_status(
    request: ServiceRequest | int,
    to_status: str,
    *,
    actor: Actor,
    note: str = "",
    public: bool = True,
    at: datetime | None = None,
) -> ServiceRequest:
    """Move an open request to another status the map allows. Closing goes through close()."""
    locked = _locked(request)
    if to_status not in Status.values:
        raise TransitionRefused(f"{to_status!r} is not a status.")
    if to_status in CLOSED_STATUSES:
        return close(locked, actor=actor, note=note, status=to_status, at=at)
    _check_transition(locked, to_status)
    note = _clean_note(note)
    at = at or timezone.now()
    from_status = locked.status
    locked.status = to_status
    locked.updated_at = at
    fields = ["status", "updated_at"]
    if note and public:
        locked.status_notes = note
        fields.append("status_notes")
    locked.save(update_fields=fields)
    _record(
        locked,
        kind=EventKind.STATUS_CHANGED,
        actor=actor,
        at=at,
        from_status=from_status,
        to_status=to_status,
        note=note,
        public=public,
    )
    return locked


def _check_transition(request: ServiceRequest, to_status: str) -> None:
    if request.status == to_status:
        raise TransitionRefused(f"{request.tracking_number} is already {_status_name(request.status)}.")
    if not can_transition(request.status, to_status):
        allowed = ", ".join(sorted(TRANSITIONS[request.status])) or "nothing (reopen it first)"
        raise TransitionRefused(
            f"{request.tracking_number} cannot go from {request.status} to {to_status}; "
            f"from {request.status} it may go to {allowed}."
        )


@transaction.atomic
def close(
    request: ServiceRequest | int,
    *,
    actor: Actor,
    note: str,
    status: str = Status.CLOSED,
    resolution: ResolutionCode | None = None,
    at: datetime | None = None,
) -> ServiceRequest:
    """Close a request with a public note the reporter will read (closed, referred or duplicate).

    The resolution code feeds the city's statistics; staff screens require one, while importers
    and the API may leave it out.
    """
    locked = _locked(request)
    if status not in CLOSED_STATUSES:
        raise TransitionRefused(f"{status!r} is not a closed status.")
    _check_transition(locked, status)
    note = _clean_note(note, required=True)
    if resolution is not None and not resolution.is_active:
        raise TransitionRefused(f"Resolution {resolution.code} is no longer in use.")
    at = at or timezone.now()
    from_status = locked.status
    locked.status = status
    locked.status_notes = note
    locked.updated_at = at
    locked.closed_at = at
    locked.resolution = resolution
    locked.save(update_fields=["status", "status_notes", "updated_at", "closed_at", "resolution"])
    _record(
        locked,
        kind=EventKind.CLOSED,
        actor=actor,
        at=at,
        from_status=from_status,
        to_status=status,
        note=note,
    )
    return locked


@transaction.atomic
def reopen(request: ServiceRequest | int, *, actor: Actor, note: str, at: datetime | None = None) -> ServiceRequest:
    """Put a closed request back in the department's queue, saying why."""
    locked = _locked(request)
    if locked.status not in CLOSED_STATUSES:
        raise TransitionRefused(f"{locked.tracking_number} is not closed, so it cannot be reopened.")
    note = _clean_note(note, required=True)
    at = at or timezone.now()
    from_status = locked.status
    locked.status = REOPEN_STATUS
    locked.status_notes = note
    locked.updated_at = at
    locked.closed_at = None
    locked.parent = None
    locked.save(update_fields=["status", "status_notes", "updated_at", "closed_at", "parent"])
    _record(
        locked,
        kind=EventKind.REOPENED,
        actor=actor,
        at=at,
        from_status=from_status,
        to_status=REOPEN_STATUS,
        note=note,
    )
    return locked


@transaction.atomic
def add_note(
    request: ServiceRequest | int,
    *,
    actor: Actor,
    note: str,
    public: bool,
    at: datetime | None = None,
) -> ServiceRequest:
    """A note without a status change: public notes become the request's status notes."""
    locked = _locked(request)
    note = _clean_note(note, required=True)
    at = at or timezone.now()
    locked.updated_at = at
    fields = ["updated_at"]
    if public:
        locked.status_notes = note
        fields.append("status_notes")
    locked.save(update_fields=fields)
    _record(locked, kind=EventKind.NOTE, actor=actor, at=at, note=note, public=public)
    return locked


@transaction.atomic
def hold(request: ServiceRequest | int, *, actor: Actor, reason: str, public: bool = True) -> ServiceRequest:
    """Put a request on hold; the reason is required (waiting for a utility, for the weather…)."""
    _clean_note(reason, required=True)
    return change_status(request, Status.ON_HOLD, actor=actor, note=reason, public=public)


def _require_open(request: ServiceRequest, doing: str) -> None:
    if request.is_closed:
        raise TransitionRefused(f"{request.tracking_number} is closed; reopen it before {doing}.")


def _check_crew(request: ServiceRequest, crew: Crew | None) -> None:
    if crew is not None and crew.department_id != request.department_id:
        raise TransitionRefused(f"Crew {crew.name} belongs to {crew.department}, not {request.department}.")


@transaction.atomic
def assign(
    request: ServiceRequest | int,
    *,
    actor: Actor,
    user: User | None = None,
    crew: Crew | None = None,
    note: str = "",
    at: datetime | None = None,
) -> ServiceRequest:
    """Assign an open request to a person, a crew, or both (None clears); an internal event records it."""
    locked = _locked(request)
    _require_open(locked, "assigning it")
    _check_crew(locked, crew)
    note = _clean_note(note)
    at = at or timezone.now()
    locked.assigned_to = user
    locked.crew = crew
    locked.updated_at = at
    locked.save(update_fields=["assigned_to", "crew", "updated_at"])
    names = [user.get_username() if user else "", crew.name if crew else ""]
    who = " and ".join(name for name in names if name) or "nobody"
    _record(
        locked, kind=EventKind.ASSIGNED, actor=actor, at=at, note=f"Assigned to {who}. {note}".strip(), public=False
    )
    return locked


@transaction.atomic
def approve_photo(request: ServiceRequest | int, *, actor: Actor, at: datetime | None = None) -> ServiceRequest:
    """Let the public see the request's photo (its service asks staff to look at photos first).

    Refused when there is no photo, it is already approved, or the service is private (whose photos
    are never public). An internal event records who approved it.
    """
    locked = _locked(request)
    if not locked.media_url:
        raise TransitionRefused(f"{locked.tracking_number} has no photo to approve.")
    if locked.media_approved_at is not None:
        raise TransitionRefused(f"The photo of {locked.tracking_number} is already approved.")
    if locked.service_type.is_private:
        raise TransitionRefused(f"{locked.service_type.name} is a private service; its photos are never public.")
    at = at or timezone.now()
    locked.media_approved_at = locked.updated_at = at
    locked.save(update_fields=["media_approved_at", "updated_at"])
    _record(locked, kind=EventKind.NOTE, actor=actor, at=at, note="Photo approved for public view.", public=False)
    return locked


@transaction.atomic
def merge_duplicate(
    request: ServiceRequest | int,
    into: ServiceRequest | int,
    *,
    actor: Actor,
    note: str = "",
    at: datetime | None = None,
) -> ServiceRequest:
    """Close a request as a duplicate of an open parent; its own duplicates move to that parent.

    Every reporter of the children then follows the parent and hears when it closes. Merging a
    request into itself, into another service's request, or into a closed one is refused.
    """
    child_pk = request.pk if isinstance(request, ServiceRequest) else request
    parent_pk = into.pk if isinstance(into, ServiceRequest) else into
    if child_pk == parent_pk:
        raise TransitionRefused("A request cannot be merged into itself.")
    # Both rows locked in id order, so two merges of the same pair cannot deadlock.
    rows = {r.pk: r for r in ServiceRequest.objects.select_for_update().filter(pk__in=sorted([child_pk, parent_pk]))}
    child, parent = rows[child_pk], rows[parent_pk]
    if parent.is_closed:
        state = _status_name(parent.status)
        raise TransitionRefused(f"{parent.tracking_number} is {state}; merge into an open request.")
    if child.service_type_id != parent.service_type_id:
        raise TransitionRefused(
            f"{child.tracking_number} and {parent.tracking_number} are different services; only the same kind merges."
        )
    _check_transition(child, Status.DUPLICATE)
    at = at or timezone.now()
    public_note = _clean_note(note) or f"Already reported as {parent.tracking_number}; follow that request."
    ServiceRequest.objects.filter(parent=child).update(parent=parent, updated_at=at)
    from_status = child.status
    child.status = Status.DUPLICATE
    child.parent = parent
    child.status_notes = public_note
    child.updated_at = child.closed_at = at
    child.save(update_fields=["status", "parent", "status_notes", "updated_at", "closed_at"])
    _record(
        child,
        kind=EventKind.MERGED,
        actor=actor,
        at=at,
        from_status=from_status,
        to_status=Status.DUPLICATE,
        note=public_note,
    )
    parent.updated_at = at
    parent.save(update_fields=["updated_at"])
    merged = f"{child.tracking_number} merged into this request."
    _record(parent, kind=EventKind.NOTE, actor=actor, at=at, note=merged, public=False)
    return child


@transaction.atomic
def create_work_order(
    request: ServiceRequest | int,
    *,
    actor: Actor,
    crew: Crew | None = None,
    scheduled_for: date | None = None,
    notes: str = "",
) -> WorkOrder:
    """Schedule field work on an open request."""
    locked = _locked(request)
    _require_open(locked, "scheduling work")
    _check_crew(locked, crew)
    notes = _clean_note(notes)
    order = WorkOrder.objects.create(request=locked, crew=crew, scheduled_for=scheduled_for, notes=notes)
    at = timezone.now()
    locked.updated_at = at
    locked.save(update_fields=["updated_at"])
    when = f" for {scheduled_for:%Y-%m-%d}" if scheduled_for else ""
    text = f"Work order {order.pk} created{when}."
    _record(locked, kind=EventKind.WORK_ORDER, actor=actor, at=at, note=text, public=False)
    return order


@transaction.atomic
def complete_work_order(
    order: WorkOrder | int,
    *,
    actor: Actor,
    notes: str = "",
    close_note: str = "",
    resolution: ResolutionCode | None = None,
    at: datetime | None = None,
) -> WorkOrder:
    """Mark field work done. When it was the request's last open work order, the request closes
    with ``close_note`` (or a plain 'the work is complete') as its public note."""
    pk = order.pk if isinstance(order, WorkOrder) else order
    locked_order = WorkOrder.objects.select_for_update().get(pk=pk)
    if locked_order.is_done:
        raise TransitionRefused(f"Work order {locked_order.pk} is already complete.")
    request = _locked(locked_order.request_id)
    notes = _clean_note(notes)
    at = at or timezone.now()
    locked_order.completed_at = at
    locked_order.notes = "\n".join(text for text in [locked_order.notes, notes] if text)
    locked_order.save(update_fields=["completed_at", "notes"])
    done = f"Work order {pk} completed."
    _record(request, kind=EventKind.WORK_ORDER, actor=actor, at=at, note=done, public=False)
    if not request.is_closed and not request.work_orders.filter(completed_at__isnull=True).exists():
        close(request, actor=actor, note=close_note or "The work is complete.", resolution=resolution, at=at)
    return locked_order


@dataclass(frozen=True)
class ImportedRequest:
    """One historical request from a city's old system, already parsed and checked."""

    external_id: str
    service_type: ServiceType
    department_id: int
    opened: datetime
    status: str
    channel: str
    due: datetime | None = None
    closed: datetime | None = None
    address: str = ""
    zipcode: str = ""
    lat: float | None = None
    long: float | None = None
    description: str = ""
    status_notes: str = ""


@transaction.atomic
def import_history(
    records: list[ImportedRequest],
    *,
    actor: Actor,
    place: Callable[[float | None, float | None], list[Any]] | None = None,
) -> tuple[int, int]:
    """File a batch of historical requests with their history; returns (imported, already on file).

    Records whose city case id is already on file are skipped, so re-running an import is safe.
    Each request gets its submitted event at its own time and, when closed, its closing event;
    warnings are marked as sent, since history must not page today's supervisors.
    """
    wanted = {r.external_id: r for r in records}
    present = set(ServiceRequest.objects.filter(external_id__in=list(wanted)).values_list("external_id", flat=True))
    fresh = [r for r in wanted.values() if r.external_id not in present]
    ServiceRequest.objects.bulk_create(
        ServiceRequest(
            service_type=r.service_type,
            department_id=r.department_id,
            status=r.status,
            status_notes=r.status_notes,
            description=r.description,
            address=r.address,
            zipcode=r.zipcode,
            cell=cell_for(r.lat, r.long),
            lat=r.lat,
            long=r.long,
            channel=r.channel,
            requested_at=r.opened,
            updated_at=r.closed or r.opened,
            expected_at=r.due,
            closed_at=r.closed,
            warning_sent_at=r.opened,
            breach_sent_at=r.opened,
            external_id=r.external_id,
        )
        for r in fresh
    )
    ids = dict(
        ServiceRequest.objects.filter(external_id__in=[r.external_id for r in fresh]).values_list("external_id", "id")
    )
    events = []
    for r in fresh:
        events.append(
            ServiceRequestEvent(
                request_id=ids[r.external_id],
                at=r.opened,
                kind=EventKind.SUBMITTED,
                to_status=Status.NEW,
                actor_label=actor.label,
            )
        )
        if r.closed is not None:
            events.append(
                ServiceRequestEvent(
                    request_id=ids[r.external_id],
                    at=r.closed,
                    kind=EventKind.CLOSED,
                    from_status=Status.NEW,
                    to_status=r.status,
                    note=r.status_notes,
                    actor_label=actor.label,
                )
            )
    ServiceRequestEvent.objects.bulk_create(events)
    created = list(ServiceRequest.objects.filter(pk__in=list(ids.values())))
    if place is not None:
        through = ServiceRequest.districts.through
        through.objects.bulk_create(
            through(servicerequest_id=sr.pk, district_id=district.pk)
            for sr in created
            for district in place(sr.lat, sr.long)
        )
    requests_imported.send(sender=ServiceRequest, requests=created)
    return len(fresh), len(present)


WARNING, BREACH = "warning", "breach"


@transaction.atomic
def record_standard_notice(request: ServiceRequest | int, threshold: str, *, now: datetime | None = None) -> bool:
    """Notify the escalation contact that an open request reached its warning or breach time, once.

    Returns False when there was nothing to do (already notified, closed, or not yet due). The
    message is queued in this transaction, so it exists exactly when the notice is recorded.
    """
    from civic311.notifications.actions import queue_email

    now = now or timezone.now()
    locked = _locked(request)
    sent_field, due = (
        ("warning_sent_at", locked.warning_at) if threshold == WARNING else ("breach_sent_at", locked.expected_at)
    )
    if locked.is_closed or due is None or due > now or getattr(locked, sent_field) is not None:
        return False
    setattr(locked, sent_field, now)
    locked.save(update_fields=[sent_field])
    contact = locked.service_type.escalation_email or locked.department.email
    if contact:
        queue_email(
            to=contact,
            template=f"standard_{threshold}",
            context={"request": locked, "due": locked.expected_at},
            kind=f"standard_{threshold}",
            request_id=locked.pk,
            dedupe_key=f"standard_{threshold}:{locked.pk}",
        )
        note = f"{threshold.title()} notice sent to {contact}."
    else:
        note = f"{threshold.title()} reached; no escalation contact is set for this service or department."
    _record(locked, kind=EventKind.NOTE, actor=SYSTEM, at=now, note=note, public=False)
    return True


@transaction.atomic
def join(
    request: ServiceRequest | int,
    *,
    actor: Actor,
    email: str = "",
    phone: str = "",
    name: str = "",
    language: str = "en",
    channel: str = Channel.WEB,
    confirmed: bool = True,
) -> Follower:
    """Add a caller who reports the same problem to an open request instead of filing another
    ("we don't need 20 calls to fill a pothole"). They are told when it changes and closes.

    Someone who follows by themselves on the web (``confirmed=False``) is only emailed a link to
    confirm the address; the request's news follows once they open it (``confirm_follower``), so
    the form cannot make the city email any address. An address follows a request once: joining
    again returns the same follower and sends nothing. Joining is an internal history line: a
    public one could be repeated by anyone at will.
    """
    locked = _locked(request)
    _require_open(locked, "anyone joins it")
    if locked.service_type.is_private:  # its news is its reporter's own business
        raise TransitionRefused(f"{locked.tracking_number} is private; file the caller's own request instead.")
    errors: list[FieldError] = []
    email, phone = check_email("email", email, errors), check_phone("phone", phone, errors)
    name = check_plain_text("name", name, NAME_MAX, errors)
    if channel not in Channel.values:
        errors.append(FieldError("channel", f"{channel!r} is not a known channel."))
    if not confirmed and not email:
        errors.append(FieldError("email", "is required to follow a request; the link to confirm is sent to it."))
    if errors:
        raise SubmissionInvalid(errors)
    found = locked.followers.filter(email__iexact=email).first() if email else None
    if found is not None:
        return _confirm(locked, found, actor) if confirmed else found
    follower = Follower.objects.create(
        request=locked, email=email, phone=phone, name=name, language=language, channel=channel,
        joined_at=timezone.now(),
    )  # fmt: skip
    if confirmed:
        return _confirm(locked, follower, actor)
    from civic311.notifications.residents import ask_to_confirm

    ask_to_confirm(follower)
    return follower


@transaction.atomic
def confirm_follower(follower: Follower | int, *, actor: Actor) -> Follower:
    """The follower's address opened the link emailed to it: from now on it hears the request's news."""
    pk = follower.pk if isinstance(follower, Follower) else follower
    request_id = Follower.objects.values_list("request_id", flat=True).get(pk=pk)
    locked = _locked(request_id)  # the request first, as join() locks them
    return _confirm(locked, Follower.objects.select_for_update().get(pk=pk), actor)


def _confirm(locked: ServiceRequest, follower: Follower, actor: Actor) -> Follower:
    if follower.confirmed_at is not None:
        return follower
    at = timezone.now()
    follower.confirmed_at = at
    follower.save(update_fields=["confirmed_at"])
    locked.updated_at = at
    locked.save(update_fields=["updated_at"])
    via = Channel(follower.channel).label.lower()
    _record(locked, kind=EventKind.JOINED, actor=actor, at=at, note=f"Another resident reported it ({via}).",
            public=False)  # fmt: skip
    return follower
