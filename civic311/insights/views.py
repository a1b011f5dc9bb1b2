"""The CitiStat dashboard and the lists behind its figures (with CSV and GeoJSON export)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from civic311.catalog.models import ServiceType
from civic311.geo.cells import cell_center, cell_polygon
from civic311.insights import figures
from civic311.insights.hotspots import rising_service_types
from civic311.insights.models import Hotspot
from civic311.insights.rollups import QUICK
from civic311.knowledge.models import Article
from civic311.knowledge.queries import rising as rising_articles
from civic311.lib.csv_stream import csv_lines
from civic311.lib.dates import local_day_bounds, requested_range
from civic311.service_requests.access import VIEW_INSIGHTS, departments_of, visible_requests
from civic311.service_requests.models import ServiceRequest, w3c

DEFAULT_DAYS = 30


def _scope(request: HttpRequest) -> tuple[figures.Scope, list[str]]:
    start, end, problems = requested_range(request.GET, DEFAULT_DAYS)
    department = departments_of(request.user).filter(pk=request.GET.get("department") or 0).first()
    service_type = ServiceType.objects.filter(pk=request.GET.get("type") or 0).first()
    return figures.Scope(start, end, department, service_type), problems


def rising_topics() -> dict[str, list[dict[str, Any]]]:
    """Service types and knowledge-base articles whose last week clearly beats their own 8-week
    normal (the hotspot test): what to announce before the phones ring."""
    types = rising_service_types()
    names = ServiceType.objects.in_bulk([f.service_type_id for f in types])
    articles = rising_articles()  # a Finding's first field holds the article's id here
    found = Article.objects.prefetch_related("texts").in_bulk([f.service_type_id for f in articles])
    titles = {pk: next((t.title for t in a.texts.all()), a.slug) for pk, a in found.items()}
    return {
        "types": [{"name": names[f.service_type_id].name, "recent": f.recent, "expected": round(f.expected, 1)}
                  for f in types if f.service_type_id in names],
        "articles": [{"title": titles[f.service_type_id], "recent": f.recent, "expected": round(f.expected, 1)}
                     for f in articles if f.service_type_id in titles],
    }  # fmt: skip


@login_required
@permission_required(VIEW_INSIGHTS, raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    scope, problems = _scope(request)
    chosen = request.GET.get("period", "day")
    period = chosen if chosen in {"day", "week", "month"} else "day"
    trend = figures.trend(scope, period)
    backlog = figures.backlog_by_age(scope.department)
    hotspots = list(Hotspot.objects.select_related("service_type")[:50])
    hexes = [
        {"cell": h.cell, "type": h.service_type.name, "recent": h.recent, "expected": round(h.expected, 1),
         "polygon": [[lat, long] for long, lat in cell_polygon(h.cell)], "center": cell_center(h.cell)}
        for h in hotspots
    ]  # fmt: skip
    chart = {
        "labels": [str(row["period"])[:10] for row in trend],
        "opened": [row["opened"] for row in trend],
        "closed": [row["closed"] for row in trend],
        "backlog_labels": [b["label"] for b in backlog],
        "backlog": [b["open"] for b in backlog],
        "hotspots": hexes,
        "tiles": settings.CIVIC311_TILE_URL,
    }
    return render(
        request,
        "insights/dashboard.html",
        {"scope": scope, "problems": problems, "period": period, "summary": figures.summary(scope),
         "types": figures.by_service_type(scope), "departments": figures.by_department(scope),
         "districts": figures.by_district(scope),
         "all_departments": departments_of(request.user), "backlog": backlog, "hotspots": hotspots, "chart": chart,
         "rising": rising_topics(),
         "query": request.GET.urlencode()},
    )  # fmt: skip


def drilldown_rows(request: HttpRequest) -> tuple[QuerySet[ServiceRequest], figures.Scope, str]:
    """The requests behind a figure: opened (or closed, on time, late, quick) in the scope, of the
    departments the user may see (the list and its CSV and GeoJSON exports alike)."""
    scope, _ = _scope(request)
    measure = request.GET.get("measure", "opened")
    begin, finish = local_day_bounds(scope.start, scope.end)
    qs = visible_requests(request.user).select_related("service_type", "department")
    if scope.department is not None:
        qs = qs.filter(department=scope.department)
    if scope.service_type is not None:
        qs = qs.filter(service_type=scope.service_type)
    if measure == "opened":
        qs = qs.filter(requested_at__gte=begin, requested_at__lt=finish).order_by("-requested_at")
    else:
        qs = qs.filter(closed_at__gte=begin, closed_at__lt=finish).order_by("-closed_at")
        if measure == "on_time":
            qs = qs.filter(closed_at__lte=F("expected_at"))
        elif measure == "late":
            qs = qs.filter(closed_at__gt=F("expected_at"))
        elif measure == "quick":
            qs = qs.filter(Q(closed_at__lte=F("requested_at") + QUICK))
    return qs, scope, measure


COLUMNS = ["tracking_number", "service_code", "service", "department", "status", "requested", "expected", "closed",
           "address", "lat", "long"]  # fmt: skip


def _row(sr: ServiceRequest) -> list[Any]:
    def when(value: datetime | None) -> str:
        return w3c(value) or ""

    return [sr.tracking_number, sr.service_type.service_code, sr.service_type.name, sr.department.name, sr.status,
            when(sr.requested_at), when(sr.expected_at), when(sr.closed_at), sr.address, sr.lat, sr.long]  # fmt: skip


@login_required
@permission_required(VIEW_INSIGHTS, raise_exception=True)
def drilldown(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    qs, scope, measure = drilldown_rows(request)
    export = request.GET.get("format")
    if export == "csv":
        rows = (_row(sr) for sr in qs.iterator(chunk_size=2000))
        response = StreamingHttpResponse(csv_lines(COLUMNS, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="requests-{measure}-{scope.start}-{scope.end}.csv"'
        return response
    if export == "geojson":

        def features() -> Iterator[str]:
            yield '{"type": "FeatureCollection", "features": ['
            first = True
            for sr in qs.exclude(lat=None).iterator(chunk_size=2000):
                feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [sr.long, sr.lat]},
                           "properties": dict(zip(COLUMNS, _row(sr), strict=True))}  # fmt: skip
                yield ("" if first else ",") + json.dumps(feature)
                first = False
            yield "]}"

        return StreamingHttpResponse(features(), content_type="application/geo+json")
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(request, "insights/drilldown.html", {"page": page, "scope": scope, "measure": measure,
                                                       "query": request.GET.urlencode()})  # fmt: skip
