"""What the portal keeps of its own: submission counts per client, for rate limiting."""

from __future__ import annotations

from django.db import models


class Throttle(models.Model):
    """How many requests one client (a hashed address, never the address itself) filed in one window."""

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="throttle_one_row_per_window")]
        # Old windows are swept by the recurring jobs.
        indexes = [models.Index(fields=["window_start"], name="throttle_window_idx")]

    def __str__(self) -> str:
        return f"{self.key[:8]}… {self.count} since {self.window_start:%H:%M}"
