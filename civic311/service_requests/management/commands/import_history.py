from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from civic311.service_requests.importing import MappingError, available_mappings, import_file, load_mapping


class Command(BaseCommand):
    help = (
        "Import historical requests from a CSV export (plain or .gz) with a declared column mapping. "
        "Streams the file; re-running skips cases already imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format", required=True, help=f"a shipped mapping ({', '.join(available_mappings())}) or a TOML file"
        )
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--encoding", default="utf-8-sig")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, file: Path, format: str, batch_size: int, encoding: str, **options: Any) -> None:
        if not 1 <= batch_size <= 50_000:
            raise CommandError("--batch-size must be between 1 and 50000.")
        try:
            mapping = load_mapping(format)
            size = file.stat().st_size
        except MappingError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"{file}: cannot be read ({error.strerror}).") from None
        bar = tqdm(total=size, unit="B", unit_scale=True, desc=file.name, disable=options["no_progress"] or None)

        def progress(position: int) -> None:
            bar.update(position - bar.n)

        try:
            report = import_file(file, mapping, batch_size=batch_size, encoding=encoding, progress=progress)
        except MappingError as error:
            raise CommandError(f"Nothing was imported: {error}") from None
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{file} is not {encoding} text ({error.reason}); batches before it were imported, and a re-run "
                "with the right --encoding continues from there."
            ) from None
        finally:
            bar.close()
        self.stdout.write(
            f"{mapping.name}: read {report.rows:,} rows; imported {report.imported:,}, "
            f"already on file {report.already:,}, skipped {sum(report.skipped.values()):,}; "
            f"{report.without_location:,} without a usable location."
        )
        if report.new_departments or report.new_service_types:
            self.stdout.write(
                f"Created {len(report.new_departments)} departments and {len(report.new_service_types)} service types "
                "(inactive until staff turn them on)."
            )
        for reason, count in report.skipped.most_common():
            lines = ", ".join(map(str, report.examples[reason]))
            self.stdout.write(f"  skipped {count:,}: {reason} (e.g. lines {lines})")
