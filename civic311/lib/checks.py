"""System checks that catch misconfiguration at start-up, with ids and hints."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def check_configuration(app_configs: Any = None, **kwargs: Any) -> list:
    problems: list = []
    if not settings.DEBUG and not settings.SECRET_KEY_FROM_ENV and _is_shared_database():
        problems.append(
            Warning(
                "No CIVIC311_SECRET_KEY is set; this machine signs with the key generated in its data folder, "
                "so app servers on other machines sign with other keys and refuse each other's sessions and links.",
                hint="Set CIVIC311_SECRET_KEY (or CIVIC311_SECRET_KEY_FILE) to the same long random string on "
                "every app server.",
                id="civic311.W001",
            )
        )
    try:
        ZoneInfo(settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(
            Error(
                f"CIVIC311_TIME_ZONE={settings.TIME_ZONE!r} is not a known time zone.",
                hint="Use an IANA name such as America/New_York.",
                id="civic311.E001",
            )
        )
    jurisdiction = settings.CIVIC311_JURISDICTION_ID
    if not jurisdiction or any(ch.isspace() for ch in jurisdiction):
        problems.append(
            Error(
                f"CIVIC311_JURISDICTION_ID={jurisdiction!r} must be a non-empty id without spaces.",
                hint="Use the city's domain, e.g. cityofsample.gov.",
                id="civic311.E002",
            )
        )
    if settings.CIVIC311_TRANSPORTS["sms"].endswith("TwilioSMSTransport"):
        missing = [name for name in ("account_sid", "auth_token", "from") if not settings.CIVIC311_SMS[name]]
        if missing:
            problems.append(
                Error(
                    "The Twilio-compatible SMS transport is chosen but not configured: missing "
                    + ", ".join(f"CIVIC311_SMS_{name.upper()}" for name in missing)
                    + ".",
                    hint="Set them, or leave CIVIC311_SMS_TRANSPORT unset for the console transport.",
                    id="civic311.E003",
                )
            )
    return problems


def _is_shared_database() -> bool:
    """A database server (not SQLite, which lives on one machine) may serve app servers on several
    machines, and they must share one secret key."""
    from civic311.lib.databases import SQLITE_ENGINES

    return settings.DATABASES["default"]["ENGINE"] not in SQLITE_ENGINES
