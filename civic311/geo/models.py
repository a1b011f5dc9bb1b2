"""Districts: the city's wards, council or public-works districts, as boundaries loaded from GeoJSON."""

from __future__ import annotations

from django.db import models


class District(models.Model):
    kind = models.CharField(max_length=40, help_text="e.g. ward, council district, public works district")
    code = models.CharField(max_length=40, help_text="The city's own id, e.g. 5 or D4.")
    name = models.CharField(max_length=200)
    boundary = models.JSONField(help_text="GeoJSON Polygon or MultiPolygon, WGS84.")
    # The boundary's bounding box, so a point is tested only against districts that may hold it.
    min_lat = models.FloatField()
    max_lat = models.FloatField()
    min_long = models.FloatField()
    max_long = models.FloatField()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="district_code_per_kind")]
        indexes = [models.Index(fields=["min_lat", "max_lat"], name="district_bbox_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"
