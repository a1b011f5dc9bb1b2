from __future__ import annotations

from django.contrib import admin

from civic311.contacts.models import Contact, ContactRequest


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

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
