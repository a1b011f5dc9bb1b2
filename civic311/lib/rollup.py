"""Counters kept current inside the transaction of each change, for dashboards that never aggregate raw rows."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction


def increment(model: type[models.Model], key: dict[str, Any], changes: dict[str, Any]) -> None:
    """UPDATE the row for ``key`` with ``changes`` (F() increments), creating the row first if need be."""
    if not changes:
        return
    rows = model._default_manager.filter(**key)
    if rows.update(**changes) == 0:
        try:
            with transaction.atomic():
                model._default_manager.create(**key)
        except IntegrityError:
            pass  # another transaction created it first
        rows.update(**changes)
