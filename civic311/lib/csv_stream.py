"""Streaming CSV: rows written as they are read, so an export of a million rows never sits in memory.

Every CSV export goes through ``csv_lines``, so every one is safe to open in a spreadsheet: a text
cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read there as
a formula (``=HYPERLINK(…)`` in an address a resident typed), so it gets a leading single quote
(OWASP's rule against CSV injection). Numbers are written as numbers: a negative longitude is
data the export itself produced, not text anyone typed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value: str) -> str:
        return value


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should show it: text that would start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """The header and each row as one CSV line, for a StreamingHttpResponse."""
    writer = csv.writer(_Echo())
    yield writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])
