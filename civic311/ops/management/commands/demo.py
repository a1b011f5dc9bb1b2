from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from civic311.catalog.models import ServiceType


class Command(BaseCommand):
    help = "Set up a demo on this machine (database, sample city, admin user) and start the server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8311)
        parser.add_argument("--no-serve", action="store_true", help="Set up only; do not start the server.")

    def handle(self, *args: Any, port: int, no_serve: bool, **options: Any) -> None:
        self.stdout.write(f"Data folder: {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        if not ServiceType.objects.exists():
            call_command("load_sample", stdout=self.stdout)
        else:
            self.stdout.write("The sample city is already loaded (civic311 load-sample prints a new API key).")
        user_model = get_user_model()
        if user_model.objects.filter(username="admin").exists():
            password_line = "password: the one printed when it was created (civic311 changepassword admin resets it)"  # noqa: S105 (a sentence)
        else:
            password = secrets.token_urlsafe(12)
            user_model.objects.create_superuser("admin", "admin@sample.civic311.org", password)
            password_line = f"password: {password}   (shown once; keep it)"
        base = f"http://127.0.0.1:{port}"
        self.stdout.write(
            "\n".join(
                [
                    "",
                    f"Admin:        {base}/admin/   user: admin   {password_line}",
                    f"Residents:    {base}/   (the 311 portal, English and Spanish)",
                    f"CSR console:  {base}/console/   Call statistics: {base}/console/stats/",
                    f"Work queue:   {base}/work/   CitiStat: {base}/insights/   (log in as admin)",
                    f"Open311 API:  {base}/open311/v2/services.json",
                    f"API docs:     {base}/open311/v2/openapi.json",
                    "",
                ]
            )
        )
        if not no_serve:
            call_command("serve", port=port, workers=2)
