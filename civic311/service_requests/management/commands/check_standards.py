from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from civic311.service_requests.watch import check_standards


class Command(BaseCommand):
    help = "Queue warning and breach notices for open requests that reached them (run every few minutes)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = check_standards()
        self.stdout.write(f"warnings {counts['warning']}, breaches {counts['breach']}")
