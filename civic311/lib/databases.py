"""The database settings: one description of SQLite however it is named, PostgreSQL by URL.

SQLite is the embedded default and may also be given as ``CIVIC311_DATABASE_URL=sqlite:///…``; both
must behave the same (a city that writes the URL out should not lose the write-ahead log, the synced
commits or the queueing writers), so both come from :func:`sqlite_database`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

SQLITE_ENGINES = {"django.db.backends.sqlite3", "civic311.lib.sqlite"}
BUSY_TIMEOUT_SECONDS = 20


def sqlite_database(name: str | Path) -> dict[str, Any]:
    """The one set of SQLite settings civic311 runs with."""
    return {
        # Django's backend, but no transaction begins DEFERRED (civic311.lib.sqlite explains why).
        "ENGINE": "civic311.lib.sqlite",
        "NAME": str(name),
        # A connection per request (Django's default), whichever way SQLite was named.
        "CONN_MAX_AGE": 0,
        "OPTIONS": {
            # WAL lets readers run beside the one writer; synchronous=FULL syncs every commit, so a
            # request acknowledged to a resident survives a power cut, not just a process crash.
            # IMMEDIATE takes the write lock at BEGIN so concurrent writers queue on the busy
            # timeout instead of being refused a lock upgrade mid-transaction.
            "init_command": (
                f"PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": BUSY_TIMEOUT_SECONDS,
        },
        "TEST": {"NAME": None},
    }


def database_settings(url: str, *, default_sqlite_path: Path, conn_max_age: int) -> dict[str, Any]:
    """``DATABASES["default"]`` for ``CIVIC311_DATABASE_URL`` (empty: SQLite in the data folder)."""
    if not url:
        return sqlite_database(default_sqlite_path)
    try:
        parsed = dict(dj_database_url.parse(url, conn_max_age=conn_max_age))
    except ValueError as error:
        raise ImproperlyConfigured(f"CIVIC311_DATABASE_URL cannot be read: {error}") from None
    if parsed.get("ENGINE") in SQLITE_ENGINES:
        name = str(parsed.get("NAME") or "")
        if not name or name == ":memory:":
            raise ImproperlyConfigured(
                "CIVIC311_DATABASE_URL names no SQLite file; use sqlite:////absolute/path/civic311.sqlite3."
            )
        return sqlite_database(name)
    return parsed
