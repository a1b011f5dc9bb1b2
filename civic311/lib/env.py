"""Tiny typed readers for ``CIVIC311_*`` environment variables.

Settings come from the environment so that one settings module serves a laptop demo, CI and a
city's production cluster alike; these helpers keep the parsing (and its error messages) in one place.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

PREFIX = "CIVIC311_"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """A string variable; ``NAME_FILE`` (a path) wins so secrets can come from mounted files."""
    file_var = os.environ.get(f"{PREFIX}{name}_FILE")
    if file_var:
        try:
            return Path(file_var).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{PREFIX}{name}_FILE={file_var!r} cannot be read: {exc}") from exc
    return os.environ.get(f"{PREFIX}{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(f"{PREFIX}{name}")
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{PREFIX}{name}={raw!r} is not a boolean (use 1/0, true/false).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(f"{PREFIX}{name}")
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{PREFIX}{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(f"{PREFIX}{name}")
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]
