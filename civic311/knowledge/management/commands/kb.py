from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civic311.knowledge.folder import FolderError, export_folder, import_folder


class Command(BaseCommand):
    help = "Import or export the knowledge base as Markdown files with front matter (<slug>.<language>.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("direction", choices=["import", "export"])
        parser.add_argument("folder", type=Path)

    def handle(self, *args: Any, direction: str, folder: Path, **options: Any) -> None:
        if direction == "export":
            self.stdout.write(f"Wrote {export_folder(folder)} files to {folder}.")
            return
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        try:
            articles, texts = import_folder(folder)
        except FolderError as error:
            raise CommandError(f"Nothing was imported:\n{error}") from None
        self.stdout.write(f"Imported {articles} articles ({texts} language versions).")
