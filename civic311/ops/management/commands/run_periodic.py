"""The recurring jobs, in one small loop: check performance standards, deliver the outbox, and
(hourly) recompute hotspots and forget the portal's ended rate-limit windows.

`civic311 serve` runs it beside the web and task workers; a city with several app servers runs
it on one of them (or from cron, as `civic311 check-standards` and `civic311 deliver-notifications`).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from civic311.insights.hotspots import refresh_hotspots
from civic311.lib.stopping import StopFlag
from civic311.notifications.actions import deliver_due
from civic311.portal.throttle import sweep
from civic311.service_requests.watch import check_standards

log = logging.getLogger(__name__)
HOTSPOT_INTERVAL = 3600.0  # hotspots compare whole days; hourly is fresh enough


class Command(BaseCommand):
    help = "Run the recurring jobs (standards check, outbox delivery) every --every seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=float, default=30.0)
        parser.add_argument("--once", action="store_true", help="one round, then exit")

    def handle(self, *args: Any, every: float, once: bool, **options: Any) -> None:
        stopping = StopFlag()
        hotspots_due = 0.0
        while not stopping:
            try:
                counts = check_standards()
                sent, failed = deliver_due()
                if any(counts.values()) or sent or failed:
                    log.info("standards %s; outbox sent %s, failed %s", counts, sent, failed)
                if time.monotonic() >= hotspots_due:
                    log.info("hotspots: %s; rate-limit windows swept: %s", refresh_hotspots(), sweep())
                    hotspots_due = time.monotonic() + HOTSPOT_INTERVAL
            except Exception:  # a bad round must not stop the next one; it is logged in full
                log.exception("periodic round failed")
            if once:
                return
            deadline = time.monotonic() + every
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.2)
            close_old_connections()  # drop a connection the database closed while we slept
