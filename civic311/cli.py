"""The ``civic311`` console script: Django's management commands under friendlier names.

Hyphenated names (``load-sample``) map to the management commands (``load_sample``); ``--help``
lists civic311's own commands first, then everything Django offers.
"""

from __future__ import annotations

import os
import sys

OWN_COMMANDS = {
    "demo": "Create the database, load the sample city, create an admin and start the server.",
    "serve": "Run the production web server (gunicorn) and the background task worker.",
    "migrate": "Create or update the database tables.",
    "load-sample": "Load the sample city (catalog, knowledge base, requests, contacts) and print an API key.",
    "import-services": "Import a service catalog from another Open311 server's services and definitions.",
    "kb": "Import or export the knowledge base as Markdown files: civic311 kb import|export FOLDER.",
    "import-districts": "Load ward or district boundaries from GeoJSON (used for routing).",
    "import-history": "Import historical requests from a CSV export (--format boston-2015, baltimore, a mapping).",
}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic311.settings")
    if len(argv) < 2 or (argv[1] in {"-h", "--help", "help"} and len(argv) == 2):
        _print_help()
        return
    argv[1] = argv[1].replace("-", "_") if not argv[1].startswith("-") else argv[1]
    argv[0] = "civic311"
    _ensure_data_dir()
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def _ensure_data_dir() -> None:
    """SQLite cannot create its file in a folder that does not exist yet."""
    from django.conf import settings

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)


def _print_help() -> None:
    print("usage: civic311 <command> [options]\n")
    print("civic311 commands:")
    for name, text in OWN_COMMANDS.items():
        print(f"  {name:<16} {text}")
    print("\nEvery Django management command works too (civic311 help <command> for its options):")
    import django
    from django.core.management import ManagementUtility

    django.setup()

    text = ManagementUtility(["civic311"]).main_help_text(commands_only=True)
    names = [line.strip() for line in text.splitlines() if line.strip()]
    for start in range(0, len(names), 6):
        print("  " + "  ".join(names[start : start + 6]))
