from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from civic311.notifications.actions import SECRET_BODY_KINDS, retry_now
from civic311.notifications.models import EmailText, Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to", "subject", "state", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["state", "kind", "transport"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in Message._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_fields(self, request: HttpRequest, obj: Message | None = None) -> Any:
        fields = list(super().get_fields(request, obj))
        if obj is not None and obj.kind in SECRET_BODY_KINDS:
            fields = [name for name in fields if name not in {"body_text", "body_html"}]
        return fields

    @admin.action(description="Retry now")
    def retry(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        count = retry_now(list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{count} message(s) will be sent on the next round.", messages.SUCCESS)


@admin.register(EmailText)
class EmailTextAdmin(admin.ModelAdmin):
    """The wording of each email per language; an email without a row uses its template files."""

    list_display = ["template", "language", "subject", "updated_at"]
    list_filter = ["template", "language"]
