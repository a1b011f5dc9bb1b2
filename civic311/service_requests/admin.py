"""Requests in the admin are read-only: their status changes only through actions (see actions.py),
which the admin's bulk actions call so that every change leaves its event.

Every admin page that shows requests, or what residents gave with them, is scoped like the staff
pages (access.py): department staff see their own departments' rows only, and run actions only on
requests they may work.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from civic311.service_requests import actions
from civic311.service_requests.access import member_departments, sees_all, workable_requests, works_any
from civic311.service_requests.models import ServiceRequest, ServiceRequestEvent
from civic311.service_requests.statuses import Status


class DepartmentScopedAdmin(admin.ModelAdmin):
    """Rows belonging to a department's requests, shown only to those who may see them.

    ``department_field`` is the lookup from the row to its department; rows with none (e.g. a
    message about no request) are shown only to roles that see every department.
    """

    department_field = "department"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if sees_all(request.user):
            return qs
        return qs.filter(**{f"{self.department_field}__in": member_departments(request.user)})


class EventInline(admin.TabularInline):
    model = ServiceRequestEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ("at", "kind", "from_status", "to_status", "note", "is_public", "actor_label")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ServiceRequest)
class ServiceRequestAdmin(DepartmentScopedAdmin):
    list_display = [
        "tracking_number",
        "service_type",
        "status",
        "department",
        "address",
        "requested_at",
        "channel",
    ]
    list_filter = ["status", "channel", ("department", admin.RelatedOnlyFieldListFilter), "service_type__group"]
    list_select_related = ["service_type", "department"]
    date_hierarchy = "requested_at"
    search_fields = ["address", "description", "external_id"]
    inlines = [EventInline]
    actions = ["acknowledge"]
    readonly_fields = [f.name for f in ServiceRequest._meta.get_fields() if f.concrete]
    show_full_result_count = False  # COUNT(*) over millions of rows on every page is not worth it

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_work_permission(self, request: HttpRequest) -> bool:
        """Department actions are for those who work some department (not CSRs)."""
        return works_any(request.user)

    @admin.action(description="Acknowledge selected new requests", permissions=["work"])
    def acknowledge(self, request: HttpRequest, queryset: QuerySet[ServiceRequest]) -> None:
        actor = actions.Actor.for_user(request.user)  # type: ignore[arg-type]  # admin views require a login
        done = 0
        for sr in queryset.filter(status=Status.NEW, pk__in=workable_requests(request.user).values("pk")):
            actions.change_status(sr, Status.ACKNOWLEDGED, actor=actor)
            done += 1
        self.message_user(request, f"Acknowledged {done} request(s).", messages.SUCCESS)
