from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from civic311.notifications.actions import retry_now
from civic311.notifications.models import EmailText, Message
from civic311.service_requests.admin import DepartmentScopedAdmin


@admin.register(Message)
class MessageAdmin(DepartmentScopedAdmin):
    """The outbox: who was told what. Residents' addresses, so scoped by the request's department."""

    department_field = "request__department"
    list_display = ["created_at", "kind", "to", "subject", "state", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["state", "kind", "transport"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in Message._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Retry now")
    def retry(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        count = retry_now(list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{count} message(s) will be sent on the next round.", messages.SUCCESS)


@admin.register(EmailText)
class EmailTextAdmin(admin.ModelAdmin):
    """The wording of each email per language; an email without a row uses its template files."""

    list_display = ["template", "language", "subject", "updated_at"]
    list_filter = ["template", "language"]
