"""Read-side helpers for the catalog."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from civic311.catalog.models import Attribute, ServiceType


def services_for_listing() -> QuerySet[ServiceType]:
    """Active services with what the Open311 list needs, in two queries."""
    return (
        ServiceType.objects.filter(is_active=True)
        .select_related("department")
        .prefetch_related(Prefetch("attributes", queryset=Attribute.objects.only("id", "service_type_id")))
        .order_by("group", "name", "service_code")
    )


def service_with_definition(service_code: str) -> ServiceType | None:
    """An active service with its questions and their allowed values, or None."""
    return (
        ServiceType.objects.filter(service_code=service_code, is_active=True)
        .select_related("department")
        .prefetch_related("attributes__values")
        .first()
    )
