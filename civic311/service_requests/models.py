"""The service request and its append-only history.

Nothing outside ``actions.py`` writes a request's status; the admin shows these rows read-only.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from civic311.catalog.models import Crew, Department, ResolutionCode, ServiceType
from civic311.service_requests.statuses import CLOSED_STATUSES, OPEN_STATUSES, Status, open311_status

# Open requests, written exactly as the queue filters them, so both databases use the partial indexes.
OPEN_CONDITION = models.Q(status__in=sorted(OPEN_STATUSES))

TRACKING_RE = re.compile(r"^(\d{2})-(\d{8,12})$")


class Channel(models.TextChoices):
    PHONE = "phone", "Phone"
    WEB = "web", "Web"
    MOBILE = "mobile", "Mobile app"
    WALK_IN = "walk_in", "Walk-in"
    EMAIL = "email", "Email"
    API = "api", "API"
    IMPORT = "import", "Import"


def city_time(value: datetime) -> datetime:
    """``value`` in the city's time zone (ZoneInfo caches zones, so this is cheap per row)."""
    return value.astimezone(ZoneInfo(settings.TIME_ZONE))


def w3c(value: datetime | None) -> str | None:
    """A W3C date-time with the city's offset, e.g. 2026-11-23T09:30:00-05:00 (None stays None)."""
    return city_time(value).isoformat(timespec="seconds") if value is not None else None


def format_tracking_number(pk: int, requested_at: datetime) -> str:
    """'26-00012345': the two-digit local year and the row id, easy to read over the phone.

    Derived rather than stored, so filing a request is one INSERT and a lookup is a primary-key
    lookup. The year part is checked on lookup, so a mistyped year finds nothing.
    """
    year = city_time(requested_at).year % 100
    return f"{year:02d}-{pk:08d}"


def parse_tracking_number(value: str) -> tuple[int, int] | None:
    """(two-digit year, row id) for a well-formed tracking number, else None."""
    match = TRACKING_RE.match(value.strip())
    if not match:
        return None
    return int(match.group(1)), int(match.group(2))


class ServiceRequestQuerySet(models.QuerySet["ServiceRequest"]):
    def open(self) -> ServiceRequestQuerySet:
        return self.exclude(status__in=CLOSED_STATUSES)

    def closed(self) -> ServiceRequestQuerySet:
        return self.filter(status__in=CLOSED_STATUSES)

    def by_tracking_numbers(self, numbers: list[str]) -> list[ServiceRequest]:
        """The requests these tracking numbers name, in the order given; malformed ones are skipped."""
        wanted: dict[int, int] = {}
        for number in numbers:
            parsed = parse_tracking_number(number)
            if parsed:
                wanted[parsed[1]] = parsed[0]
        found = {r.pk: r for r in self.filter(pk__in=list(wanted))}
        result = []
        for pk, year in wanted.items():
            request = found.get(pk)
            if request and city_time(request.requested_at).year % 100 == year:
                result.append(request)
        return result

    def get_by_tracking_number(self, number: str) -> ServiceRequest | None:
        found = self.by_tracking_numbers([number])
        return found[0] if found else None


class ServiceRequest(models.Model):
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="requests")
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="requests",
        help_text="Responsible department.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    status_notes = models.TextField(blank=True, help_text="The latest public note on the status.")
    description = models.TextField(blank=True)

    lat = models.FloatField(null=True, blank=True)
    long = models.FloatField(null=True, blank=True)
    address = models.CharField(max_length=255, blank=True)
    address_id = models.CharField(max_length=100, blank=True)
    zipcode = models.CharField(max_length=20, blank=True)
    cell = models.CharField(max_length=16, blank=True, help_text="H3 map cell (resolution 8) of the location.")
    districts = models.ManyToManyField("geo.District", blank=True, related_name="requests")

    # The reporter: private, never in any public output.
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    phone_digits = models.CharField(max_length=20, blank=True, editable=False, help_text="Phone digits, for history.")
    sms_updates = models.BooleanField(default=False, help_text="The reporter asked for text messages at this phone.")
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    language = models.CharField(max_length=8, default="en")

    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    attributes = models.JSONField(default=dict, blank=True, help_text="Answers, by attribute code.")
    media_url = models.URLField(max_length=1000, blank=True)
    media_approved_at = models.DateTimeField(
        null=True, blank=True, help_text="When staff approved the photo for public view (see ServiceType)."
    )
    application = models.ForeignKey(
        "open311.Application",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
        help_text="The Open311 application that filed it, if any (it may read back a private request).",
    )

    requested_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    expected_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    warning_at = models.DateTimeField(
        null=True, blank=True, help_text="When the department is warned that the standard is near."
    )
    warning_sent_at = models.DateTimeField(null=True, blank=True)
    breach_sent_at = models.DateTimeField(null=True, blank=True)

    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_requests"
    )
    crew = models.ForeignKey(Crew, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests")
    resolution = models.ForeignKey(ResolutionCode, null=True, blank=True, on_delete=models.PROTECT)

    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates")
    token = models.UUIDField(null=True, blank=True, unique=True, help_text="Open311 token (batch services).")
    external_id = models.CharField(
        max_length=100,
        null=True,
        blank=True,
        unique=True,
        help_text="The city's own case id (imports).",
    )

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        permissions = [
            ("work_all_departments", "Can see and work every department's requests"),
            ("view_all_departments", "Can look up every department's requests (without working them)"),
            ("view_insights", "Can see the CitiStat dashboards"),
        ]
        # Each index ends with the id tie-breaker of the search's ORDER BY, so a page of 1,000 is read
        # in index order and the scan stops at the LIMIT instead of sorting the whole window.
        indexes = [
            # GET /requests with no filter: the newest in the default 90-day window.
            models.Index(fields=["-requested_at", "-id"], name="sr_requested_idx"),
            # GET /requests?service_code=…: one type's newest.
            models.Index(fields=["service_type", "-requested_at", "-id"], name="sr_type_requested_idx"),
            # GET /requests?status=open|closed.
            models.Index(fields=["status", "-requested_at", "-id"], name="sr_status_requested_idx"),
            # GET /requests?updated_after=…: clients syncing changes, newest change first.
            models.Index(fields=["-updated_at", "-id"], name="sr_updated_idx"),
            # The work queue: open requests, due soonest first (all departments, or one). Partial, so
            # closed history (most rows) is not in it; the condition matches the queue's WHERE.
            # PostgreSQL uses them; SQLite cannot match a partial index against bound IN parameters
            # and sorts a small city's open requests instead.
            models.Index(fields=["expected_at", "id"], condition=OPEN_CONDITION, name="sr_open_due_idx"),
            models.Index(
                fields=["department", "expected_at", "id"], condition=OPEN_CONDITION, name="sr_dept_open_due_idx"
            ),
            # A caller's requests in the CSR console (caller history by phone line or email). Partial:
            # most requests name neither.
            models.Index(
                fields=["phone_digits", "-requested_at"], condition=~models.Q(phone_digits=""), name="sr_phone_idx"
            ),
            models.Index(
                Lower("email"), models.F("requested_at").desc(), condition=~models.Q(email=""), name="sr_email_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number if self.pk else "unsaved request"

    @property
    def tracking_number(self) -> str:
        return format_tracking_number(self.pk, self.requested_at)

    @property
    def open311_status(self) -> str:
        return open311_status(self.status)

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    STATUS_CHANGED = "status_changed", "Status changed"
    CLOSED = "closed", "Closed"
    REOPENED = "reopened", "Reopened"
    NOTE = "note", "Note"
    ASSIGNED = "assigned", "Assigned"
    MERGED = "merged", "Merged as duplicate"
    WORK_ORDER = "work_order", "Work order"
    JOINED = "joined", "Another reporter joined"


class ServiceRequestEvent(models.Model):
    """One entry in a request's history. Rows are only ever added."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    note = models.TextField(blank=True)
    is_public = models.BooleanField(default=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, help_text="Who acted: a user, an API application, the system.")

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["request", "at"], name="sr_event_request_at_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.from_status}→{self.to_status}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not self._state.adding:
            raise RuntimeError("Request events are append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class WorkOrder(models.Model):
    """A piece of field work on a request: who, when it is scheduled, when it was done, with what."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="work_orders")
    crew = models.ForeignKey(Crew, null=True, blank=True, on_delete=models.SET_NULL, related_name="work_orders")
    scheduled_for = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True, help_text="Materials used and what was done (internal).")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"work order {self.pk} on {self.request}"

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None


class Follower(models.Model):
    """Someone else who reported the same problem and joined this request instead of filing another.

    They hear what the request's own reporter hears (by email, in their language) once confirmed;
    their details are private like the reporter's. Someone who follows on the web is confirmed when
    they open the link emailed to the address (until then the city sends that address nothing
    else); a CSR's caller is confirmed at once.
    """

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="followers")
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=8, default="en")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    joined_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True, help_text="Empty: waiting for the address to confirm.")

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            # One follower per address per request, however it is capitalised: following again
            # finds the same row, and sends nothing new.
            models.UniqueConstraint(
                "request", Lower("email"), condition=~models.Q(email=""), name="follower_one_per_address"
            )
        ]

    def __str__(self) -> str:
        return f"follower of {self.request_id}"
