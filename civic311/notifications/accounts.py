"""Staff accounts' email: the password-reset link goes through the outbox like every other message.

Django's reset form sends at once and, when the mail server is down, logs the failure and drops the
email, so the person who asked never gets a link. Queued in the outbox, it is retried until it
arrives. The link starts with CIVIC311_PUBLIC_URL, as in every civic311 email, never with the Host
header of the request that asked for it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.urls import reverse
from django.utils import translation

from civic311.notifications.actions import queue_email

KIND = "password_reset"


class OutboxPasswordResetForm(PasswordResetForm):
    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        path = reverse("password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        queue_email(
            to=to_email,
            template=KIND,
            kind=KIND,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            context={
                "username": context["user"].get_username(),
                "reset_url": f"{settings.CIVIC311_PUBLIC_URL}{path}",
                "city": settings.CIVIC311_CITY_NAME,
            },
        )
