"""The outbox: every message civic311 must send, written in the same transaction as its cause.

A message whose transaction rolls back never exists, so it is never sent; one that commits is
delivered by a worker that claims it with a conditional UPDATE (safe with many workers on either
database), retries with back-off while the mail server is down, and gives up only after
MAX_ATTEMPTS, visibly, in the admin.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

MAX_ATTEMPTS = 8


class Message(models.Model):
    class Transport(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "SMS"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (gave up)"

    transport = models.CharField(max_length=10, choices=Transport.choices, default=Transport.EMAIL)
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=300, blank=True)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    language = models.CharField(max_length=8, default="en")
    kind = models.CharField(max_length=40, help_text="Which message this is, e.g. standard_breach.")
    request = models.ForeignKey(
        "service_requests.ServiceRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    dedupe_key = models.CharField(
        max_length=200, null=True, blank=True, unique=True, help_text="The same key is never queued twice."
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The worker's query: pending messages that are due, oldest first.
            models.Index(fields=["next_attempt_at"], condition=models.Q(state="pending"), name="outbox_pending_due_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to} ({self.state})"


class Unsubscribe(models.Model):
    """An address that asked for no more emails about one request (the link in every resident email)."""

    request = models.ForeignKey(
        "service_requests.ServiceRequest", on_delete=models.CASCADE, related_name="unsubscribes"
    )
    email = models.CharField(max_length=254, help_text="Lower-cased.")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "email"], name="unsubscribe_once")]

    def __str__(self) -> str:
        return f"{self.email} from {self.request_id}"


class EmailText(models.Model):
    """A city's own wording of one email in one language, edited in the admin.

    Without a row, the email's template files speak (translated by the catalog). The text is a
    Django template with the same context as the files: ``request``, ``service_name``,
    ``track_url``, ``unsubscribe_url``, ``event`` (its ``note``), ``parent`` for merges. What each
    email may use, and must keep (the tracking and unsubscribe links), is checked by ``wording``.
    """

    class Template(models.TextChoices):
        RECEIVED = "request_received", "Request received (confirmation)"
        UPDATED = "request_updated", "Status changed"
        CLOSED = "request_closed", "Request closed"
        MERGED = "request_merged", "Merged into another request"
        JOINED = "request_joined", "Joined a request"
        WARNING = "standard_warning", "Standard warning (staff)"
        BREACH = "standard_breach", "Standard breach (staff)"

    template = models.CharField(max_length=40, choices=Template.choices)
    language = models.CharField(max_length=8, choices=[("en", "English"), ("es", "Español")])
    subject = models.CharField(max_length=300)
    body_text = models.TextField(
        help_text="Plain text; resident emails must contain {{ track_url }} and {{ unsubscribe_url }}."
    )
    body_html = models.TextField(blank=True, help_text="Optional HTML part.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["template", "language"], name="one_text_per_email_language")]

    def __str__(self) -> str:
        return f"{self.get_template_display()} [{self.language}]"

    def clean(self) -> None:
        """Refuse wording that uses a variable the email does not have, a tag that could reveal more
        than the email should, or that drops a required link (see ``wording``)."""
        from django.core.exceptions import ValidationError

        from civic311.notifications import wording

        errors = {}
        for field in ("subject", "body_text", "body_html"):
            found = wording.problems(self.template, field, getattr(self, field))
            if found:
                errors[field] = found
        if errors:
            raise ValidationError(errors)
