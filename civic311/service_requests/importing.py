"""Importing a city's historical requests from a CSV export, with a declared column mapping.

Mappings are TOML files (``mappings/`` ships Boston's 2015 export and Baltimore's). The file is
streamed: memory stays constant whatever its size. Each batch of rows is written in one
transaction through ``actions.import_history``, which skips case ids already on file, so an import
that stops half-way (a bad byte, a killed process) is finished by running it again. Rows that
cannot be imported are counted by reason, with example line numbers; nothing about them is guessed.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.utils.text import slugify

from civic311.catalog.models import Department, ServiceType
from civic311.geo.districts import DistrictIndex
from civic311.lib.plain_text import CONTROL_RE, HTML_RE
from civic311.service_requests import actions
from civic311.service_requests.models import Channel
from civic311.service_requests.statuses import CLOSED_STATUSES, Status

MAPPINGS = Path(__file__).resolve().parent / "mappings"
REQUIRED_COLUMNS = ("case_id", "service_type", "opened", "status")
OPTIONAL_COLUMNS = (
    "group", "department", "due", "closed", "channel", "address", "zipcode", "lat", "long", "description",
    "status_notes",
)  # fmt: skip


class MappingError(ValueError):
    """A mapping that cannot be used; nothing has been written."""


class RowSkipped(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Mapping:
    name: str
    source: str
    time_zone: ZoneInfo
    datetime_formats: tuple[str, ...]
    columns: dict[str, str]
    status: dict[str, str]
    channel: dict[str, str]
    zipcode_us5: bool = False
    placeholders: tuple[tuple[float, float], ...] = ()


def available_mappings() -> list[str]:
    return sorted(p.stem for p in MAPPINGS.glob("*.toml"))


def load_mapping(name_or_path: str) -> Mapping:
    """A shipped mapping by name (``boston-2015``) or a TOML file of the same shape."""
    path = MAPPINGS / f"{name_or_path}.toml" if name_or_path in available_mappings() else Path(name_or_path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError:
        raise MappingError(
            f"{name_or_path!r} is neither a shipped format ({', '.join(available_mappings())}) nor a readable file."
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise MappingError(f"{path}: not valid TOML ({error}).") from None
    return _mapping(raw, str(path))


def _mapping(raw: dict[str, Any], where: str) -> Mapping:
    columns = raw.get("columns", {})
    missing = [c for c in REQUIRED_COLUMNS if not columns.get(c)]
    unknown = sorted(set(columns) - set(REQUIRED_COLUMNS) - set(OPTIONAL_COLUMNS))
    problems = [f"columns.{c} is required" for c in missing] + [f"columns.{c} is not a known field" for c in unknown]
    status = raw.get("status", {})
    problems += [f"status {k!r} maps to {v!r}, not a status" for k, v in status.items() if v not in Status.values]
    if not status:
        problems.append("status: map each of the file's status values to new, acknowledged, … closed")
    channel = raw.get("channel", {})
    problems += [f"channel {k!r} maps to {v!r}, not a channel" for k, v in channel.items() if v not in Channel.values]
    try:
        zone = ZoneInfo(raw.get("time_zone", ""))
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"time_zone {raw.get('time_zone')!r} is not an IANA time zone")
        zone = ZoneInfo("UTC")
    formats = tuple(raw.get("datetime_formats", ["%Y-%m-%dT%H:%M:%S"]))
    source = str(raw.get("source", ""))
    if not slugify(source) or slugify(source) != source:
        problems.append(f"source {source!r} must be a short lowercase name, e.g. boston")
    if problems:
        raise MappingError(f"{where}: " + "; ".join(problems) + ".")
    placeholders = tuple((float(p["lat"]), float(p["long"])) for p in raw.get("placeholder_locations", []))
    return Mapping(
        name=str(raw.get("name", where)),
        source=source,
        time_zone=zone,
        datetime_formats=formats,
        columns=dict(columns),
        status=dict(status),
        channel=dict(channel),
        zipcode_us5=raw.get("zipcode") == "us5",
        placeholders=placeholders,
    )


@dataclass
class ParsedRow:
    case_id: str
    service_type: str
    group: str
    department: str
    opened: datetime
    due: datetime | None
    closed: datetime | None
    status: str
    channel: str
    address: str
    zipcode: str
    lat: float | None
    long: float | None
    description: str
    status_notes: str


def parse_row(mapping: Mapping, row: dict[str, str]) -> ParsedRow:
    """One CSV row in our terms, or RowSkipped with the reason."""

    def value(name: str) -> str:
        column = mapping.columns.get(name)
        return (row.get(column) or "").strip() if column else ""

    case_id = value("case_id")
    if not case_id:
        raise RowSkipped("no case id")
    type_name = value("service_type")
    if not type_name:
        raise RowSkipped("no service type")
    opened = _datetime(mapping, value("opened"))
    if opened is None:
        raise RowSkipped("no readable opened date")
    raw_status = value("status")
    if raw_status not in mapping.status:
        raise RowSkipped(f"status {raw_status[:40]!r} is not in the mapping")
    status = mapping.status[raw_status]
    closed = _datetime(mapping, value("closed")) if status in CLOSED_STATUSES else None
    if status in CLOSED_STATUSES and closed is None:
        raise RowSkipped("closed without a readable closed date")
    if closed is not None and closed < opened:
        raise RowSkipped("closed before it was opened")
    lat, long = _location(mapping, value("lat"), value("long"))
    names = (type_name, value("group"), value("department"))
    if any(HTML_RE.search(name) or CONTROL_RE.search(name) for name in names):
        # A new service type or department would be named from these: the catalog's names are plain text.
        raise RowSkipped("markup or control characters in a service type, group or department name")
    return ParsedRow(
        case_id=case_id,
        service_type=type_name[:200],
        group=value("group")[:100],
        department=value("department")[:200] or "Unassigned",
        opened=opened,
        due=_datetime(mapping, value("due")),
        closed=closed,
        status=status,
        channel=mapping.channel.get(value("channel"), Channel.IMPORT),
        address=" ".join(value("address").split())[:255],
        zipcode=_zipcode(mapping, value("zipcode")),
        lat=lat,
        long=long,
        description=value("description")[:4000],
        status_notes=value("status_notes")[:4000],
    )


def _datetime(mapping: Mapping, text: str) -> datetime | None:
    if not text:
        return None
    for fmt in mapping.datetime_formats:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return parsed.replace(tzinfo=mapping.time_zone) if parsed.tzinfo is None else parsed
    return None


def _location(mapping: Mapping, lat_text: str, long_text: str) -> tuple[float | None, float | None]:
    try:
        lat, long = float(lat_text), float(long_text)
    except ValueError:
        return None, None
    if not (math.isfinite(lat) and math.isfinite(long) and -90 <= lat <= 90 and -180 <= long <= 180):
        return None, None
    if (lat, long) == (0.0, 0.0) or any(abs(lat - a) < 1e-4 and abs(long - b) < 1e-4 for a, b in mapping.placeholders):
        return None, None  # a placeholder, not a place
    return lat, long


def _zipcode(mapping: Mapping, text: str) -> str:
    if mapping.zipcode_us5 and text.replace(".", "", 1).isdigit():
        return f"{int(float(text)):05d}"
    return text[:20]


@dataclass
class ImportReport:
    rows: int = 0
    imported: int = 0
    already: int = 0
    without_location: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    new_service_types: list[str] = field(default_factory=list)
    new_departments: list[str] = field(default_factory=list)

    def skip(self, reason: str, line: int) -> None:
        self.skipped[reason] += 1
        if len(self.examples[reason]) < 5:
            self.examples[reason].append(line)


class CatalogResolver:
    """Finds (or creates, inactive) the departments and service types an export names.

    New service types are created inactive, so history does not add to what residents can request
    until staff choose to; their standard is taken from the export's own due dates where it has them.
    """

    def __init__(self, report: ImportReport):
        self.report = report
        self.departments: dict[str, Department] = {}
        self.types: dict[str, ServiceType] = {}
        self.without_standard: set[str] = set()

    def department(self, name: str) -> Department:
        key = name.lower()
        if key not in self.departments:
            found = Department.objects.filter(name__iexact=name).first()
            if found is None:
                slug = _unique(slugify(name)[:70] or "department", lambda s: Department.objects.filter(slug=s).exists())
                found = Department.objects.create(name=name, slug=slug, is_active=False)
                self.report.new_departments.append(name)
            self.departments[key] = found
        return self.departments[key]

    def service_type(self, row: ParsedRow) -> ServiceType:
        key = row.service_type.lower()
        if key not in self.types:
            found = (
                ServiceType.objects.filter(name__iexact=row.service_type).first()
                or ServiceType.objects.filter(service_code=row.service_type).first()
            )
            if found is None:
                code = _unique(
                    slugify(row.service_type).upper()[:56] or "IMPORTED",
                    lambda c: ServiceType.objects.filter(service_code=c).exists(),
                )
                hours = (
                    round((row.due - row.opened).total_seconds() / 3600) if row.due and row.due > row.opened else None
                )
                found = ServiceType.objects.create(
                    service_code=code,
                    name=row.service_type,
                    group=row.group,
                    department=self.department(row.department),
                    target_hours=hours or None,
                    is_active=False,
                )
                self.report.new_service_types.append(row.service_type)
                if found.target_hours is None:
                    self.without_standard.add(key)
            self.types[key] = found
        if key in self.without_standard and row.due and row.due > row.opened:
            # The type's first rows had no due date; the first one that does sets its standard.
            st = self.types[key]
            st.target_hours = round((row.due - row.opened).total_seconds() / 3600) or None
            st.save(update_fields=["target_hours"])
            self.without_standard.discard(key)
        return self.types[key]

    def forget(self) -> None:
        """After a rolled-back batch, rows created in it no longer exist."""
        self.departments.clear()
        self.types.clear()
        self.without_standard.clear()


def _unique(base: str, taken: Callable[[str], bool]) -> str:
    candidate, n = base, 1
    while taken(candidate):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def open_text(path: Path, encoding: str) -> tuple[IO[bytes], io.TextIOWrapper]:
    """The raw file (whose position drives the progress bar) and its text, gunzipped if need be."""
    raw = path.open("rb")
    gzipped = raw.read(2) == b"\x1f\x8b"
    raw.seek(0)
    stream: IO[bytes] = gzip.GzipFile(fileobj=raw) if gzipped else raw  # type: ignore[assignment]
    return raw, io.TextIOWrapper(stream, encoding=encoding, newline="")


def read_rows(mapping: Mapping, text: io.TextIOWrapper) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(text)
    header = reader.fieldnames or []
    missing = [c for c in mapping.columns.values() if c not in header]
    if missing:
        raise MappingError(
            f"the file has no column {', '.join(map(repr, missing))} (it has {', '.join(header[:12])}…)."
        )
    for row in reader:
        yield reader.line_num, row


def import_file(
    path: Path,
    mapping: Mapping,
    *,
    batch_size: int = 2000,
    encoding: str = "utf-8-sig",
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Stream ``path`` into the database; returns what was imported and what was skipped, and why."""
    report = ImportReport()
    resolver = CatalogResolver(report)
    actor = actions.Actor(f"import:{mapping.source}")
    districts = DistrictIndex()
    raw, text = open_text(path, encoding)
    with raw, text:
        batch: list[ParsedRow] = []
        for line, row in read_rows(mapping, text):
            report.rows += 1
            try:
                parsed = parse_row(mapping, row)
            except RowSkipped as skipped:
                report.skip(skipped.reason, line)
                continue
            report.without_location += parsed.lat is None
            batch.append(parsed)
            if len(batch) >= batch_size:
                _write(batch, mapping, resolver, actor, report, districts)
                batch = []
                if progress:
                    progress(raw.tell())
        if batch:
            _write(batch, mapping, resolver, actor, report, districts)
        if progress:
            progress(raw.tell())
    return report


def _write(
    batch: list[ParsedRow],
    mapping: Mapping,
    resolver: CatalogResolver,
    actor: actions.Actor,
    report: ImportReport,
    districts: DistrictIndex,
) -> None:
    try:
        with transaction.atomic():
            records = []
            for row in batch:
                service_type = resolver.service_type(row)
                records.append(
                    actions.ImportedRequest(
                        external_id=f"{mapping.source}:{row.case_id}"[:100],
                        service_type=service_type,
                        department_id=resolver.department(row.department).pk,
                        opened=row.opened,
                        due=row.due,
                        closed=row.closed,
                        status=row.status,
                        channel=row.channel,
                        address=row.address,
                        zipcode=row.zipcode,
                        lat=row.lat,
                        long=row.long,
                        description=row.description,
                        status_notes=row.status_notes,
                    )
                )
            place = districts.at if districts.shapes else None
            imported, already = actions.import_history(records, actor=actor, place=place)
    except Exception:
        resolver.forget()
        raise
    report.imported += imported
    report.already += already
