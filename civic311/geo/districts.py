"""Finding the districts a point lies in, and loading boundaries from a city's GeoJSON."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from shapely.geometry import Point, shape
from shapely.validation import explain_validity

from civic311.geo.models import District


class BoundaryError(ValueError):
    """A boundary file that cannot be loaded; nothing was written."""


def districts_at(lat: float | None, long: float | None) -> list[District]:
    """Every district (of any kind) whose boundary holds the point."""
    if lat is None or long is None:
        return []
    candidates = District.objects.filter(min_lat__lte=lat, max_lat__gte=lat, min_long__lte=long, max_long__gte=long)
    point = Point(long, lat)
    return [d for d in candidates if shape(d.boundary).covers(point)]


class DistrictIndex:
    """All districts in memory with prepared shapes, for placing many points (imports)."""

    def __init__(self) -> None:
        from shapely import prepare

        self.shapes = []
        for district in District.objects.all():
            geom = shape(district.boundary)
            prepare(geom)
            self.shapes.append((district, geom))

    def at(self, lat: float | None, long: float | None) -> list[District]:
        if lat is None or long is None or not self.shapes:
            return []
        point = Point(long, lat)
        return [district for district, geom in self.shapes if geom.covers(point)]


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    problems: list[str] = field(default_factory=list)


def load_geojson(text: str, *, kind: str, code_property: str, name_property: str) -> LoadReport:
    """Create or update districts of one kind from a FeatureCollection; all or nothing."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        raise BoundaryError(f"not valid JSON ({error.msg} at line {error.lineno}).") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise BoundaryError("the file must be a GeoJSON FeatureCollection.")
    rows: list[dict[str, Any]] = []
    problems = []
    for index, feature in enumerate(doc.get("features") or [], start=1):
        props = feature.get("properties") or {}
        code, name = str(props.get(code_property, "")).strip(), str(props.get(name_property, "")).strip()
        geometry = feature.get("geometry") or {}
        where = f"feature {index}"
        if not code:
            problems.append(f"{where}: no {code_property!r} property.")
            continue
        if geometry.get("type") not in {"Polygon", "MultiPolygon"}:
            problems.append(f"{where} ({code}): geometry is {geometry.get('type')!r}, not a Polygon or MultiPolygon.")
            continue
        try:
            geom = shape(geometry)
        except (ValueError, TypeError, AttributeError) as error:
            problems.append(f"{where} ({code}): unreadable geometry ({error}).")
            continue
        if not geom.is_valid:
            problems.append(f"{where} ({code}): invalid polygon ({explain_validity(geom)}).")
            continue
        min_long, min_lat, max_long, max_lat = geom.bounds
        if not (-90 <= min_lat <= max_lat <= 90 and -180 <= min_long <= max_long <= 180):
            problems.append(f"{where} ({code}): coordinates are not WGS84 longitude/latitude.")
            continue
        rows.append({"code": code[:40], "name": (name or code)[:200], "boundary": geometry, "min_lat": min_lat,
                     "max_lat": max_lat, "min_long": min_long, "max_long": max_long})  # fmt: skip
    if problems:
        raise BoundaryError("; ".join(problems[:10]))
    if not rows:
        raise BoundaryError("the file has no features.")
    report = LoadReport()
    with transaction.atomic():
        for row in rows:
            _, created = District.objects.update_or_create(kind=kind, code=row.pop("code"), defaults=row)
            report.created += created
            report.updated += not created
    return report
