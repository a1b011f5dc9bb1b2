from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def handle_time(seconds: int | float | None) -> str:
    """209 → '3 min 29 s': how supervisors read handle times."""
    if seconds is None:
        return "—"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"
