"""Residents' photos, stored through Django's storage API (files by default; any backend by settings)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def store(photo: Any) -> str:
    """Save a checked photo under an unguessable name; returns the storage name."""
    extension = ALLOWED_FORMATS[photo.image.format]
    photo.seek(0)
    return default_storage.save(f"photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}", photo)


def public_url(name: str) -> str:
    """The photo's absolute address, as Open311's media_url carries it."""
    url = default_storage.url(name)
    return url if url.startswith(("http://", "https://")) else f"{settings.CIVIC311_PUBLIC_URL}{url}"


def discard(name: str | None) -> None:
    """Remove a photo whose request was not filed."""
    if name:
        default_storage.delete(name)
