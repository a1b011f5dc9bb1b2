"""Strict reading of Open311 parameters from the query string and the form body.

Django's QueryDict replaces undecodable bytes with U+FFFD silently; an API must say the input was
not UTF-8 instead, so the raw query string and body are parsed here with strict decoding.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

ATTRIBUTE_RE = re.compile(r"^attribute\[([^\[\]]*)\](\[\])?$")
# '+05:00' sent unencoded in a query string arrives as ' 05:00'; put the plus back.
_SPACE_OFFSET_RE = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")


class Open311Error(Exception):
    """An error answered in the Open311 format: an HTTP status and one or more descriptions."""

    def __init__(self, status: int, *descriptions: str):
        super().__init__("; ".join(descriptions))
        self.status = status
        self.descriptions = list(descriptions)


def bad(*descriptions: str) -> Open311Error:
    return Open311Error(400, *descriptions)


class Params:
    """The request's parameters; an empty value counts as absent, as the spec asks."""

    def __init__(self, pairs: list[tuple[str, str]]):
        self.values: dict[str, list[str]] = {}
        for key, value in pairs:
            self.values.setdefault(key, []).append(value)

    def get(self, name: str) -> str:
        for value in self.values.get(name, []):
            if value.strip():
                return value.strip()
        return ""

    def attributes(self) -> dict[str, list[str]]:
        """``attribute[CODE]=v`` and ``attribute[CODE][]=v`` (repeated for lists), by code."""
        answers: dict[str, list[str]] = {}
        for key, values in self.values.items():
            match = ATTRIBUTE_RE.match(key)
            if match:
                if not match.group(1):
                    raise bad(f"{key}: an attribute parameter needs a code inside the brackets.")
                answers.setdefault(match.group(1), []).extend(v for v in values if v.strip())
            elif key.startswith("attribute"):
                raise bad(f"{key[:80]}: write attributes as attribute[CODE] or attribute[CODE][].")
        return answers

    def csv(self, name: str) -> list[str]:
        return [item.strip() for item in self.get(name).split(",") if item.strip()]

    def integer(self, name: str, default: int, minimum: int, maximum: int) -> int:
        raw = self.get(name)
        if not raw:
            return default
        if not raw.isdigit() or not minimum <= int(raw) <= maximum:
            raise bad(f"{name}: {raw[:40]!r} must be a whole number from {minimum} to {maximum}.")
        return int(raw)

    def boolean(self, name: str) -> bool:
        raw = self.get(name).lower()
        if raw in {"", "false"}:
            return False
        if raw == "true":
            return True
        raise bad(f"{name}: {raw[:40]!r} must be true or false.")

    def datetime(self, name: str) -> datetime | None:
        """A W3C/ISO 8601 date-time; a bare date is its local midnight, no zone is the city's zone."""
        raw = self.get(name)
        if not raw:
            return None
        raw = _SPACE_OFFSET_RE.sub(r"\1+\2", raw)
        try:
            value = parse_datetime(raw)
            if value is None and (day := parse_date(raw)) is not None:
                value = datetime.combine(day, time.min)
        except ValueError:
            value = None
        if value is None:
            raise bad(f"{name}: {raw[:60]!r} is not a W3C date-time such as 2026-11-01T08:00:00-05:00.")
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value


def read_params(request: HttpRequest) -> Params:
    """Parameters from the query string and, for a form POST, the body; refuses bad encodings."""
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    try:
        pairs = parse_qsl(
            request.META.get("QUERY_STRING", ""),
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=limit,
        )
        if request.method == "POST":
            pairs += _body_pairs(request, limit)
    except UnicodeDecodeError:
        raise bad("The request is not valid UTF-8; encode parameters as UTF-8.") from None
    except (ValueError, TooManyFieldsSent):
        raise bad(f"Too many parameters; at most {limit} are accepted.") from None
    except RequestDataTooBig:
        raise bad(
            f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes; "
            "send media as a media_url, not in the body."
        ) from None
    return Params(pairs)


def _body_pairs(request: HttpRequest, limit: int) -> list[tuple[str, str]]:
    content_type = request.content_type or ""
    if content_type in {"", "application/x-www-form-urlencoded"}:
        body = request.body.decode("utf-8")
        return parse_qsl(body, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=limit)
    if content_type == "multipart/form-data":
        pairs = [(key, value) for key, values in request.POST.lists() for value in values]
        if any("\ufffd" in key or "\ufffd" in value for key, value in pairs):
            raise UnicodeDecodeError("utf-8", b"", 0, 1, "invalid multipart field")
        return pairs
    raise bad(
        f"Content-Type {content_type!r} is not accepted; send application/x-www-form-urlencoded or multipart/form-data."
    )
