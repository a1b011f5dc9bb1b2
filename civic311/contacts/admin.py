from __future__ import annotations

from django.contrib import admin
from django.db.models import Q

from civic311.contacts.models import Contact, ContactRequest
from civic311.service_requests.access import member_departments, sees_all


class ContactRequestInline(admin.TabularInline):
    model = ContactRequest
    extra = 0
    can_delete = False
    readonly_fields = ["request", "role", "at"]

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    """Read-only: contacts are written by the console's actions, and are the call statistics' record."""

    list_display = ["started_at", "channel", "kind", "outcome", "csr", "handle_seconds", "transferred_to", "repeated"]
    list_filter = ["channel", "kind", "outcome", "repeated", "language"]
    search_fields = ["caller_phone", "caller_email", "caller_name"]
    date_hierarchy = "started_at"
    inlines = [ContactRequestInline]
    readonly_fields = [f.name for f in Contact._meta.fields] + ["articles"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        """Callers' details: department staff see only contacts about their departments' requests or
        transferred to them; CSRs, supervisors and administrators see every contact."""
        qs = super().get_queryset(request)
        if sees_all(request.user):
            return qs
        departments = member_departments(request.user)
        about = ContactRequest.objects.filter(request__department__in=departments).values("contact_id")
        return qs.filter(Q(pk__in=about) | Q(transferred_to__in=departments))

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
