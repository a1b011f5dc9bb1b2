"""Helpers for tests of the rate limits."""

from __future__ import annotations

import time

from civic311.portal import throttle


def clear_of_window_edge(margin: float) -> None:
    """Wait out the end of the current hourly window if it is less than ``margin`` seconds away, so
    every use a test makes falls in one window whatever the time of day."""
    left = throttle.retry_after()
    if left < margin:
        time.sleep(left + 0.5)
