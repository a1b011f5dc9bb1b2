"""Requests in the admin are read-only: their status changes only through actions (see actions.py),
which the admin's bulk actions call so that every change leaves its event."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from civic311.service_requests import actions
from civic311.service_requests.models import ServiceRequest, ServiceRequestEvent
from civic311.service_requests.statuses import Status


class EventInline(admin.TabularInline):
    model = ServiceRequestEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ("at", "kind", "from_status", "to_status", "note", "is_public", "actor_label")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    list_display = [
        "tracking_number",
        "service_type",
        "status",
        "department",
        "address",
        "requested_at",
        "channel",
    ]
    list_filter = ["status", "channel", "department", "service_type__group"]
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

    @admin.action(description="Acknowledge selected new requests")
    def acknowledge(self, request: HttpRequest, queryset: QuerySet[ServiceRequest]) -> None:
        actor = actions.Actor.for_user(request.user)  # type: ignore[arg-type]  # admin views require a login
        done = 0
        for sr in queryset.filter(status=Status.NEW):
            actions.change_status(sr, Status.ACKNOWLEDGED, actor=actor)
            done += 1
        self.message_user(request, f"Acknowledged {done} request(s).", messages.SUCCESS)
