"""The catalog in the reader's language: a field's Spanish twin where staff have written one."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """``obj.<field>_<language>`` when it exists and is filled in, else ``obj.<field>`` (English)."""
    language = (language or get_language() or "en")[:2]
    if language != "en":
        value = getattr(obj, f"{field}_{language}", "")
        if value:
            return str(value)
    return str(getattr(obj, field))
