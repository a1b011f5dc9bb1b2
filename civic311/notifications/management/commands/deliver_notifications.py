from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from civic311.notifications.actions import deliver_due


class Command(BaseCommand):
    help = "Send the outbox's due messages (once, or every --every seconds)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=float, default=0, help="keep running, a round every N seconds")

    def handle(self, *args: Any, every: float, **options: Any) -> None:
        while True:
            sent, failed = deliver_due()
            if sent or failed or not every:
                self.stdout.write(f"sent {sent}, failed {failed}")
            if not every:
                return
            time.sleep(every)
