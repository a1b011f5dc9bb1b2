"""What every portal page shows: the city, its 311 numbers and hours in the reader's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language


def portal(request: HttpRequest) -> dict[str, Any]:
    spanish = (get_language() or "en").startswith("es")
    return {
        "city_name": settings.CIVIC311_CITY_NAME,
        "phone_311": settings.CIVIC311_PHONE,
        "phone_outside": settings.CIVIC311_PHONE_OUTSIDE,
        "hours_311": settings.CIVIC311_HOURS_ES if spanish else settings.CIVIC311_HOURS,
    }
