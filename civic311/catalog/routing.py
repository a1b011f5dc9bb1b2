"""Routing: which department a new request goes to."""

from __future__ import annotations

from django.db.models import Q

from civic311.catalog.models import Department, RoutingRule, ServiceType
from civic311.geo.models import District


def route(service_type: ServiceType, districts: list[District]) -> Department:
    """The first active rule for this service (or any service) in one of the districts, else the service's own."""
    if districts:
        rule = (
            RoutingRule.objects.filter(is_active=True, district__in=districts)
            .filter(Q(service_type=service_type) | Q(service_type__isnull=True))
            .select_related("department")
            .order_by("order", "id")
            .first()
        )
        if rule is not None:
            return rule.department
    return service_type.department
