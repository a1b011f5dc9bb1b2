"""Rollups the dashboards read, kept current in the same transaction as every request change.

A dashboard sums a few hundred of these rows instead of aggregating millions of requests.
Times to close are kept as histograms (CLOSE_BUCKETS_HOURS), so medians and 90th percentiles
come from the rollups too, to the resolution of a bucket.
"""

from __future__ import annotations

from django.db import models

# Upper bounds, in hours, of the time-to-close buckets; the last bucket is "longer than 90 days".
CLOSE_BUCKETS_HOURS = (1, 2, 4, 8, 12, 24, 36, 48, 72, 96, 120, 168, 240, 336, 504, 720, 1440, 2160)
BUCKETS = len(CLOSE_BUCKETS_HOURS) + 1


class DailyStat(models.Model):
    """Counts for one city-local day, service type and department.

    ``opened`` and ``still_open`` count requests by the day they were filed; ``closed`` and its
    details count them by the day they closed.
    """

    day = models.DateField()
    service_type = models.ForeignKey("catalog.ServiceType", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("catalog.Department", on_delete=models.CASCADE, related_name="+")
    opened = models.IntegerField(default=0)
    still_open = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    closed_with_standard = models.IntegerField(default=0)
    closed_on_time = models.IntegerField(default=0)
    closed_quickly = models.IntegerField(default=0, help_text="Closed within 10 minutes: worth a second look.")
    # Requests closed, by time-to-close bucket (close_b0 … close_b18): columns, so the database sums them.

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "service_type", "department"], name="daily_stat_key")]
        # Dashboards select a date range, for the city or one department.
        indexes = [
            models.Index(fields=["day"], name="daily_stat_day_idx"),
            models.Index(fields=["department", "day"], name="daily_stat_dept_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.service_type_id}/{self.department_id}"

    @property
    def close_buckets(self) -> list[int]:
        return [getattr(self, name) for name in BUCKET_FIELDS]


BUCKET_FIELDS = tuple(f"close_b{index}" for index in range(BUCKETS))
for _name in BUCKET_FIELDS:
    DailyStat.add_to_class(_name, models.IntegerField(default=0))


class DistrictDailyStat(models.Model):
    """Counts for one day, district and service type (requests outside every district are not here)."""

    day = models.DateField()
    district = models.ForeignKey("geo.District", on_delete=models.CASCADE, related_name="+")
    service_type = models.ForeignKey("catalog.ServiceType", on_delete=models.CASCADE, related_name="+")
    opened = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    closed_with_standard = models.IntegerField(default=0)
    closed_on_time = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "district", "service_type"], name="district_daily_stat_key")
        ]
        indexes = [models.Index(fields=["day"], name="district_stat_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.district_id}/{self.service_type_id}"


class Hotspot(models.Model):
    """A map cell where one service's recent count clearly exceeds that cell's own baseline."""

    computed_at = models.DateTimeField()
    service_type = models.ForeignKey("catalog.ServiceType", on_delete=models.CASCADE, related_name="+")
    cell = models.CharField(max_length=16)
    recent = models.IntegerField(help_text="Requests in the recent window.")
    expected = models.FloatField(help_text="Requests the cell's baseline predicts for that window.")
    p_value = models.FloatField()

    class Meta:
        ordering = ["p_value"]

    def __str__(self) -> str:
        return f"{self.service_type_id} in {self.cell}: {self.recent} vs {self.expected:.1f}"
