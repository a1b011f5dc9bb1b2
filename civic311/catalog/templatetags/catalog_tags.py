from __future__ import annotations

from typing import Any

from django import template

from civic311.catalog.localization import localized as _localized

register = template.Library()


@register.filter
def localized(obj: Any, field: str) -> str:
    """{{ service_type|localized:"name" }}: the field in the page's language, else English."""
    return _localized(obj, field)
