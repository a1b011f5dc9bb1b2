from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from civic311.catalog.sample import load_catalog
from civic311.contacts.models import Contact
from civic311.contacts.sample import load_contacts
from civic311.knowledge.folder import SAMPLE_FOLDER, import_folder
from civic311.notifications.residents import suppressed
from civic311.open311.models import ApiKey, Application
from civic311.service_requests.models import ServiceRequest
from civic311.service_requests.sample import load_requests

SAMPLE_APP = "Sample city app"


class Command(BaseCommand):
    help = (
        "Load the sample city: departments, service types with questions, the knowledge base, requests, "
        "a month of contacts, and an API key."
    )

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
        # The sample city's reporters are made up: they get no emails.
        with transaction.atomic(), suppressed():
            departments, services = load_catalog()
            if requests is None:
                requests = 0 if ServiceRequest.objects.exists() else 400
            articles, texts = import_folder(SAMPLE_FOLDER)
            filed = load_requests(requests, days=days) if requests else 0
            # About three contacts for every two requests, as at a center that answers most calls itself.
            contacts = load_contacts(min(600, filed * 3 // 2)) if filed and not Contact.objects.exists() else 0
            app, _ = Application.objects.get_or_create(
                name=SAMPLE_APP, defaults={"contact_email": "apps@sample.civic311.org"}
            )
            _, key = ApiKey.issue(app)
        self.stdout.write(
            f"Loaded {departments} departments, {services} service types and {articles} articles ({texts} texts); "
            f"filed {filed} requests; took {contacts} contacts."
        )
        self.stdout.write(f"Sample API key (shown once): {key}")
