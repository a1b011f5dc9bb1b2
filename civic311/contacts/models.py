"""Contacts: every call, walk-in, email, chat or social message the 311 center handles.

A contact is opened when a CSR picks up and wrapped up when they are done. What happened in between
(articles read to the caller, requests filed or looked up, a transfer) is recorded on it by the
actions in ``actions.py``, so the call statistics are counts over these rows.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic311.catalog.models import Department
from civic311.knowledge.models import Article

# "Repeat call" window for first-contact resolution: the same caller again within 72 hours.
REPEAT_WINDOW = timedelta(hours=72)


class Contact(models.Model):
    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        WALK_IN = "walk_in", _("Walk-in")
        EMAIL = "email", _("Email")
        CHAT = "chat", _("Web chat")
        SOCIAL = "social", _("Social media")

    class Direction(models.TextChoices):
        INBOUND = "inbound", _("Inbound")
        OUTBOUND = "outbound", _("Outbound (callback)")

    class Kind(models.TextChoices):
        INFORMATION = "information", _("Information")
        SERVICE_REQUEST = "service_request", _("Service request")
        TRANSFER = "transfer", _("Transfer")
        COMPLAINT = "complaint", _("Complaint")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("Answered")
        REQUEST_FILED = "request_filed", _("Request filed")
        STATUS_GIVEN = "status_given", _("Status given")
        TRANSFERRED = "transferred", _("Transferred")
        CALLBACK = "callback", _("Callback promised")
        DROPPED = "dropped", _("Caller hung up")

    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.PHONE)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.INBOUND)
    caller_name = models.CharField(max_length=200, blank=True)
    caller_phone = models.CharField(max_length=40, blank=True)
    caller_digits = models.CharField(max_length=20, blank=True, editable=False, help_text="Phone digits, for history.")
    caller_email = models.EmailField(max_length=254, blank=True)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")

    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    handle_seconds = models.PositiveIntegerField(null=True, blank=True, help_text="Start to end, at wrap-up.")
    csr = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="contacts", verbose_name="CSR"
    )

    kind = models.CharField(max_length=20, choices=Kind.choices, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    transferred_to = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="transfers"
    )
    note = models.TextField(blank=True, help_text="Wrap-up note (internal).")
    # Set when the same caller contacts the center again within REPEAT_WINDOW: this contact did not
    # resolve the matter the first time (first-contact resolution).
    repeated = models.BooleanField(default=False)

    articles = models.ManyToManyField(Article, blank=True, related_name="contacts")
    requests: models.ManyToManyField = models.ManyToManyField(
        "service_requests.ServiceRequest", through="ContactRequest", blank=True, related_name="contacts"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        permissions = [
            ("use_console", "Can take contacts in the CSR console"),
            ("view_call_stats", "Can see the call statistics"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("started_at")),
                name="contact_ends_after_it_starts",
                violation_error_message="A contact cannot end before it starts.",
            )
        ]
        indexes = [
            # Call statistics over a date range.
            models.Index(fields=["started_at"], name="contact_started_idx"),
            # Caller history and repeat-call marking, by phone line or email.
            models.Index(fields=["caller_digits", "started_at"], name="contact_caller_idx"),
            models.Index(Lower("caller_email"), models.F("started_at"), name="contact_email_idx"),
            # A CSR's open contacts (the console's "in progress" list).
            models.Index(fields=["csr", "ended_at"], name="contact_csr_open_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} contact {self.pk} at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def caller_label(self) -> str:
        return self.caller_name or self.caller_phone or self.caller_email or "Unknown caller"


class ContactRequest(models.Model):
    """A request a contact touched: filed during it, looked up for the caller, or joined."""

    class Role(models.TextChoices):
        CREATED = "created", _("Filed")
        LOOKED_UP = "looked_up", _("Looked up")
        JOINED = "joined", _("Joined")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="request_links")
    request = models.ForeignKey("service_requests.ServiceRequest", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["contact", "request", "role"], name="contact_request_role_once")]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.role} {self.request_id}"


class ContactHourStat(models.Model):
    """Contacts per hour (city time), CSR and kind, kept current by the contact actions so the call
    statistics read a few hundred rows a week instead of New York's 100,000 contacts a day.

    ``kind`` is empty while a contact is in progress; wrap-up moves it to its kind. ``resolved_first``
    drops when a later call from the same caller marks the contact as repeated.
    """

    hour = models.DateTimeField()
    csr_label = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=20, blank=True)
    contacts = models.IntegerField(default=0)
    ended = models.IntegerField(default=0)
    handle_sum = models.BigIntegerField(default=0)
    transfers = models.IntegerField(default=0)
    resolved_first = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hour", "csr_label", "kind"], name="contact_hour_stat_key")]

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H}h {self.csr_label or '-'} {self.kind or 'open'}: {self.contacts}"


class ContactArticleDay(models.Model):
    """How many contacts used each article, per city-time day: the statistics' top articles."""

    day = models.DateField()
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    uses = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "article"], name="contact_article_day_key")]

    def __str__(self) -> str:
        return f"{self.day} article {self.article_id}: {self.uses}"


class ContactServiceDay(models.Model):
    """How many requests contacts filed of each service type, per city-time day: the top service types."""

    day = models.DateField()
    service_type = models.ForeignKey("catalog.ServiceType", on_delete=models.CASCADE, related_name="+")
    filed = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "service_type"], name="contact_service_day_key")]

    def __str__(self) -> str:
        return f"{self.day} service {self.service_type_id}: {self.filed}"
