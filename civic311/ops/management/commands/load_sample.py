from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from civic311.catalog.sample import load_catalog
from civic311.open311.models import ApiKey, Application
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.sample import load_requests

SAMPLE_APP = "Sample city app"


class Command(BaseCommand):
    help = "Load the sample city: departments, service types with questions, requests, and an API key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--requests",
            type=int,
            default=None,
            help="How many sample requests to file (default 400, only when there are none yet).",
        )
        parser.add_argument("--days", type=int, default=90, help="Spread requests over this many days (default 90).")

    def handle(self, *args: Any, requests: int | None, days: int, **options: Any) -> None:
        if requests is not None and not 0 <= requests <= 100_000:
            raise CommandError("--requests must be between 0 and 100000.")
        if not 1 <= days <= 3650:
            raise CommandError("--days must be between 1 and 3650.")
        with transaction.atomic():
            departments, services = load_catalog()
            if requests is None:
                requests = 0 if ServiceRequest.objects.exists() else 400
            filed = load_requests(requests, days=days) if requests else 0
            app, _ = Application.objects.get_or_create(
                name=SAMPLE_APP, defaults={"contact_email": "apps@sample.civic311.org"}
            )
            _, key = ApiKey.issue(app)
        self.stdout.write(f"Loaded {departments} departments and {services} service types; filed {filed} requests.")
        self.stdout.write(f"Sample API key (shown once): {key}")
