from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civic311.catalog.importing import ImportRefused, import_open311_catalog
from civic311.catalog.open311_reader import ReadError, read_definition, read_services

MAX_FILE = 20 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Import a service catalog from another Open311 server's services document (JSON or XML) and its "
        "service definitions. All or nothing: any problem leaves the catalog as it was."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("services", type=Path, help="services.json or services.xml")
        parser.add_argument(
            "--definition", type=Path, action="append", default=[], help="a service definition file (repeatable)"
        )
        parser.add_argument("--department", required=True, help="department for new services (created if missing)")

    def handle(self, *args: Any, services: Path, definition: list[Path], department: str, **options: Any) -> None:
        try:
            docs, notes = read_services(_read(services), str(services))
            definitions = {}
            for path in definition:
                code, attributes, more = read_definition(_read(path), str(path))
                definitions[code] = attributes
                notes += more
            report = import_open311_catalog(docs, definitions, department.strip())
        except (ReadError, ImportRefused) as error:
            raise CommandError(f"Nothing was imported.\n{error}") from None
        for note in notes:
            self.stdout.write(f"note: {note}")
        self.stdout.write(
            f"Imported {report.created + report.updated} services ({report.created} new, {report.updated} updated) "
            f"with {report.attributes} questions."
        )


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_FILE:
            raise CommandError(f"{path}: larger than {MAX_FILE // 1024 // 1024} MiB; not a services document.")
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"{path}: cannot be read ({error.strerror}).") from None
