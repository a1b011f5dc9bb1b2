from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civic311.geo.districts import BoundaryError, load_geojson


class Command(BaseCommand):
    help = "Load district boundaries (wards, council districts…) from a GeoJSON FeatureCollection."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", required=True, help="e.g. ward")
        parser.add_argument("--code-property", required=True, help="feature property holding the district's id")
        parser.add_argument("--name-property", default="name")

    def handle(self, *args: Any, file: Path, kind: str, code_property: str, name_property: str, **options: Any) -> None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: cannot be read ({error}).") from None
        try:
            report = load_geojson(text, kind=kind.strip(), code_property=code_property, name_property=name_property)
        except BoundaryError as error:
            raise CommandError(f"Nothing was loaded: {error}") from None
        self.stdout.write(f"{kind}: {report.created} new, {report.updated} updated.")
