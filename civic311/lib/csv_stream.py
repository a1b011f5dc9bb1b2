"""Streaming CSV: rows written as they are read, so an export of a million rows never sits in memory."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """The header and each row as one CSV line, for a StreamingHttpResponse."""
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)
