from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template import Context, Template
from django.utils import translation
from django.utils.html import format_html, format_html_join

from civic311.notifications import wording
from civic311.notifications.actions import SECRET_BODY_KINDS, retry_now
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
    """The wording of each email per language; an email without a row uses its template files.

    The variables the email has are listed beside the fields (every email's, until one is chosen),
    and the saved wording is previewed, rendered from a sample request; wording that uses another
    variable or drops a required link is refused on save (``EmailText.clean``).
    """

    list_display = ["template", "language", "subject", "updated_at"]
    list_filter = ["template", "language"]
    readonly_fields = ["variables", "preview"]

    def get_fields(self, request: HttpRequest, obj: EmailText | None = None) -> Any:
        fields = ["template", "language", "variables", "subject", "body_text", "body_html"]
        return [*fields, "preview"] if obj is not None else fields

    @admin.display(description="variables of this email")
    def variables(self, obj: EmailText | None) -> str:
        chosen = obj.template if obj is not None and obj.pk else None
        lines = wording.variables_help(chosen).splitlines()
        note = (
            "Choose the email, then save and continue editing to see its own variables and a preview."
            if chosen is None
            else "Resident emails must show {{ track_url }} and {{ unsubscribe_url }} in every body."
        )
        return format_html(
            "<ul>{}</ul><p>{}</p>", format_html_join("", "<li>{}</li>", ([line] for line in lines)), note
        )

    @admin.display(description="preview (the saved wording, with a sample request)")
    def preview(self, obj: EmailText | None) -> str:
        if obj is None or not obj.pk:
            return "—"
        if not wording.usable(obj.template, obj.subject, obj.body_text, obj.body_html):
            return "This wording fails the checks above (save it again to see why); emails use the template files."
        context = wording.sample_context(obj.template)
        with translation.override(obj.language):
            subject = Template(obj.subject).render(Context(context, autoescape=False))
            text = Template(obj.body_text).render(Context(context, autoescape=False))
            html = Template(obj.body_html).render(Context(context)) if obj.body_html else ""
        return format_html(
            '<p id="preview-subject"><strong>{}</strong></p><pre id="preview-text">{}</pre>{}',
            " ".join(subject.split()), text,
            format_html('<p>HTML part (its source):</p><pre id="preview-html">{}</pre>', html) if html else "",
        )  # fmt: skip
