"""Read-side queries over requests, shared by the API, the console and the portal."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from civic311.catalog.models import Department, ServiceType
from civic311.service_requests.models import ServiceRequest, ServiceRequestEvent, ServiceRequestQuerySet
from civic311.service_requests.statuses import CLOSED_STATUSES, OPEN_STATUSES


@dataclass
class RequestFilter:
    """What a search asks for; every field optional. Times bound ``requested_at`` or ``updated_at``."""

    service_type_ids: list[int] = field(default_factory=list)
    open311_statuses: set[str] = field(default_factory=set)  # {"open"}, {"closed"} or both
    requested_from: datetime | None = None
    requested_to: datetime | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    near: tuple[float, float, float] | None = None  # (lat, long, radius in metres): a bounding box here


def search(flt: RequestFilter) -> ServiceRequestQuerySet:
    """Requests matching ``flt``, newest first; each condition is served by an index on requests.

    A search by update time alone (a client syncing changes) is ordered by update time, newest
    change first, so the updated_at index serves both the filter and the order.
    """
    qs = ServiceRequest.objects.all()
    if flt.service_type_ids:
        qs = qs.filter(service_type_id__in=flt.service_type_ids)
    if flt.open311_statuses == {"open"}:
        qs = qs.filter(status__in=sorted(OPEN_STATUSES))
    elif flt.open311_statuses == {"closed"}:
        qs = qs.filter(status__in=sorted(CLOSED_STATUSES))
    if flt.requested_from is not None:
        qs = qs.filter(requested_at__gte=flt.requested_from)
    if flt.requested_to is not None:
        qs = qs.filter(requested_at__lte=flt.requested_to)
    if flt.updated_after is not None:
        qs = qs.filter(updated_at__gt=flt.updated_after)
    if flt.updated_before is not None:
        qs = qs.filter(updated_at__lt=flt.updated_before)
    if flt.near is not None:
        (lat_low, lat_high), (long_low, long_high) = bounding_box(*flt.near)
        qs = qs.filter(lat__range=(lat_low, lat_high), long__range=(long_low, long_high))
    by_update = flt.requested_from is None and flt.requested_to is None and (flt.updated_after or flt.updated_before)
    if by_update:
        return qs.order_by("-updated_at", "-id")
    return qs.order_by("-requested_at", "-id")


# The reporter's details and bookkeeping never appear in public output, so they are not even read.
PRIVATE_FIELDS = (
    "first_name", "last_name", "email", "phone", "phone_digits", "sms_updates", "device_id", "account_id",
    "language", "token", "external_id",
)  # fmt: skip


def for_public_output(qs: ServiceRequestQuerySet, *, with_history: bool) -> ServiceRequestQuerySet:
    """What public output shows, in a fixed number of queries for any page size.

    Service types and departments are prefetched rather than joined: a page of 1,000 requests
    names a few dozen of them, and sharing one object each halves the work of building rows.
    """
    qs = qs.defer(*PRIVATE_FIELDS).prefetch_related(
        Prefetch("service_type", queryset=ServiceType.objects.select_related("department")),
        Prefetch("department", queryset=Department.objects.only("id", "name")),
        Prefetch("parent", queryset=ServiceRequest.objects.only("id", "requested_at")),
    )
    if with_history:
        qs = qs.prefetch_related(
            Prefetch(
                "events",
                queryset=ServiceRequestEvent.objects.filter(is_public=True).order_by("at", "id"),
            )
        )
    return qs


EARTH_RADIUS_M = 6_371_008.8


def distance_m(lat1: float, long1: float, lat2: float, long2: float) -> float:
    """Great-circle distance in metres (haversine); plenty for a city's scale."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(long2 - long1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def bounding_box(lat: float, long: float, radius_m: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """(lat range, long range) of a square that holds the circle: a cheap first cut in SQL."""
    dlat = radius_m / 111_320
    dlong = radius_m / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    return (lat - dlat, lat + dlat), (long - dlong, long + dlong)


def nearest_first(
    rows: list[ServiceRequest], lat: float, long: float, radius_m: float
) -> list[tuple[ServiceRequest, float]]:
    """Those of ``rows`` within ``radius_m`` of the point, nearest first (ties: newest first)."""
    near = [(sr, distance_m(lat, long, sr.lat, sr.long)) for sr in rows if sr.lat is not None and sr.long is not None]
    near = [(sr, d) for sr, d in near if d <= radius_m]
    near.sort(key=lambda pair: (pair[1], -pair[0].requested_at.timestamp()))
    return near


def likely_duplicates(
    service_type: ServiceType,
    lat: float,
    long: float,
    *,
    at: datetime | None = None,
    exclude_pk: int | None = None,
    limit: int = 10,
) -> list[tuple[ServiceRequest, float]]:
    """Open requests of the same type within the type's radius and time window, nearest first.

    A bounding box narrows the rows in SQL (on the type/requested_at index); the exact distance is
    computed here, so the same code runs on SQLite and PostgreSQL without a spatial extension.
    """
    at = at or timezone.now()
    radius = service_type.duplicate_radius_m
    lat_range, long_range = bounding_box(lat, long, radius)
    candidates = ServiceRequest.objects.filter(
        service_type=service_type,
        status__in=sorted(OPEN_STATUSES),
        requested_at__gte=at - timedelta(days=service_type.duplicate_window_days),
        requested_at__lte=at,
        lat__range=lat_range,
        long__range=long_range,
    ).select_related("service_type", "department")
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    return nearest_first(list(candidates), lat, long, radius)[:limit]
