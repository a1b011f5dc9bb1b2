"""A flag that SIGTERM and SIGINT raise, for the long-running loops (serve, the periodic jobs)."""

from __future__ import annotations

import signal
from typing import Any


class StopFlag:
    """Installs handlers for SIGTERM and SIGINT; ``bool(flag)`` is True once either arrived."""

    def __init__(self) -> None:
        self.raised = False
        signal.signal(signal.SIGTERM, self._raise)
        signal.signal(signal.SIGINT, self._raise)

    def _raise(self, signum: int, frame: Any) -> None:
        self.raised = True

    def __bool__(self) -> bool:
        return self.raised
