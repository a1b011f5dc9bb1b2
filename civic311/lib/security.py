"""Readers for the HTTPS and Content Security Policy settings (used by the settings module)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def proxy_ssl_header(raw: str) -> tuple[str, str] | None:
    """``X-Forwarded-Proto: https`` (the header the proxy sets, and its value for HTTPS) as Django's
    ``SECURE_PROXY_SSL_HEADER``; empty: none (never trust a header no proxy of ours sets)."""
    if not raw.strip():
        return None
    name, sep, value = raw.partition(":")
    name, value = name.strip(), value.strip()
    if not sep or not name or not value or any(ch.isspace() for ch in name):
        raise ImproperlyConfigured(
            f"CIVIC311_PROXY_SSL_HEADER={raw!r} must be a header and its value for HTTPS, "
            "e.g. 'X-Forwarded-Proto: https'."
        )
    return "HTTP_" + name.upper().replace("-", "_"), value


def tile_source(tile_url: str) -> list[str]:
    """The origin the map tiles come from, for the policy's ``img-src`` (none when they are ours)."""
    if not tile_url or tile_url.startswith("/"):
        return []
    parts = urlsplit(tile_url.replace("{s}", "*"))
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ImproperlyConfigured(
            f"CIVIC311_TILE_URL={tile_url!r} must be an http(s) URL template such as "
            "https://tile.example.org/{z}/{x}/{y}.png."
        )
    return [f"{parts.scheme}://{parts.netloc}"]
