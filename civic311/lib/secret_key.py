"""The secret key when the environment gives none: generated once into the data folder.

Every process that serves the site (each gunicorn worker, the task worker, a restart) must sign
with the same key, or a resident logged in on one worker is a stranger to the next and a signed
link made by one is refused by another. So the first process to need a key writes one to
``DATA_DIR/secret_key`` (readable by its owner only) and every process reads that file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

FILE_NAME = "secret_key"


def data_dir_secret_key(data_dir: Path) -> str:
    """The key stored in ``data_dir``, written there first if no process has written one yet."""
    path = data_dir / FILE_NAME
    try:
        try:
            return _read(path)
        except FileNotFoundError:
            data_dir.mkdir(parents=True, exist_ok=True)
            _write_once(path, secrets.token_urlsafe(50))
            return _read(path)
    except OSError as error:
        raise ImproperlyConfigured(
            f"No CIVIC311_SECRET_KEY is set and no key can be kept in {path}: {error}. "
            "Set CIVIC311_SECRET_KEY (or CIVIC311_SECRET_KEY_FILE), or make the data folder writable."
        ) from error


def _read(path: Path) -> str:
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise ImproperlyConfigured(f"{path} is empty; delete it to have a new key generated.")
    return key


def _write_once(path: Path, key: str) -> None:
    """Write the whole key under a temporary name, then link it into place: a reader never sees a
    half-written key, and when two processes race, the first link wins and both read its key."""
    temporary = path.with_name(f".{FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(key + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process was first: its key is the key
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
