"""Applications that use the Open311 API, and their keys.

Keys are stored as SHA-256 digests: the key itself is shown once, when it is made, and a copy of
the database is no list of working keys.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils import timezone

from civic311.service_requests.models import Channel


def digest_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class Application(models.Model):
    """A client of the API (a city app, a partner's app): whose requests came from where."""

    name = models.CharField(max_length=200, unique=True)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    channel = models.CharField(
        max_length=10,
        choices=Channel.choices,
        default=Channel.API,
        help_text="The channel its requests are logged with (e.g. mobile for the city's app).",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def authenticate(self, key: str) -> ApiKey | None:
        """The live key matching ``key`` whose application is active, or None."""
        if not key or len(key) > 200:
            return None
        return (
            self.select_related("application")
            .filter(digest=digest_key(key), revoked_at__isnull=True, application__is_active=True)
            .first()
        )


class ApiKey(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="keys")
    prefix = models.CharField(
        max_length=12, editable=False, help_text="The key's first characters, to tell keys apart."
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.application})"

    @classmethod
    def issue(cls, application: Application) -> tuple[ApiKey, str]:
        """Make a new key; returns the row and the key itself, which is not stored."""
        key = secrets.token_urlsafe(24)
        row = cls.objects.create(application=application, prefix=key[:8], digest=digest_key(key))
        return row, key
