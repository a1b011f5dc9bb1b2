"""Tasks the operators run through the worker."""

from __future__ import annotations

from pathlib import Path

from django_tasks import task


@task()
def write_heartbeat(path: str, text: str) -> str:
    """Write ``text`` to ``path``: proves end to end that a deployment's task worker runs tasks
    (``civic311 shell -c`` can enqueue it after an upgrade); the serve test uses it too."""
    Path(path).write_text(text, encoding="utf-8")
    return text
